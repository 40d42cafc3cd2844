#pragma once

#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <QFuture>
#include <QMainWindow>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QSystemTrayIcon;

namespace tai {

class Engine;
class ScenarioSession;

namespace ui {

class AndonBoard;
class AndonHeader;
class BriefingPanel;
class DebriefView;
class TrainingBar;
class TraceView;
class AuditLogView;
class ApiStatusIndicator;
class DeploymentPanel;
class BreakerPanel;
class BurstForm;
class FaultPanel;
class FlowPanel;
class KaizenCharts;
class PaymentForm;
class TimelineView;

// Who the console says an operator command came from: $USER, or "operator".
QString operatorName();

// The operations console. Driven only by engine snapshots (coalesced to one render per frame)
// and talks back only through command values (DESIGN.md §3). Each panel is its own class.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Asks the operator to confirm a destructive action; the answer is the optional reason, or
    // nullopt when cancelled. Replaceable so tests can answer without a dialog.
    using Confirm = std::function<std::optional<QString>(const QString& title, const QString& question)>;

    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    void setConfirm(Confirm confirm) { confirm_ = std::move(confirm); }
    // Asks how many minutes to silence an alert for; nullopt when cancelled. Replaceable for tests.
    using AskMinutes = std::function<std::optional<int>(const QString& alert)>;
    void setAskMinutes(AskMinutes ask) { askMinutes_ = std::move(ask); }
    void renderNow();  // draws the latest snapshot at once (tests, screenshots)

    AndonHeader* header() const { return header_; }
    BreakerPanel* breakers() const { return breakers_; }
    FlowPanel* flow() const { return flow_; }
    KaizenCharts* charts() const { return charts_; }
    PaymentForm* paymentForm() const { return paymentForm_; }
    FaultPanel* faults() const { return faults_; }
    TimelineView* timeline() const { return timeline_; }
    DeploymentPanel* deployments() const { return deployments_; }
    void showView(const QString& name);  // "metrics", "deployments", "andon" or "traces"
    AndonBoard* andonBoard() const { return andonBoard_; }
    TraceView* traces() const { return traceView_; }
    // "Why was this blocked?" for a kept trace, once it is found; a status line when it was not kept.
    void showWhy(const QString& traceId);
    class WhyBlockedDialog* lastWhyDialog() const {
        return lastWhy_;
    }
    // The durable audit trail behind the audit log view, read through the engine off the GUI
    // thread (without one the view says so).
    void attachAudit();
    // The HTTP API's status for the indicator and the API access dialog.
    void attachApi(std::function<struct ApiStatus()> status);
    AuditLogView* auditLog() const { return auditLog_; }
    // A training run (§9.4): the speed-control toolbar, the briefing dock, and a Debrief tab
    // when the run ends. The session outlives the window.
    void attachTraining(ScenarioSession& session);
    TrainingBar* trainingBar() const { return trainingBar_; }
    BriefingPanel* briefing() const { return briefing_; }
    DebriefView* debrief() const { return debrief_; }
    // Where to save a file; empty when cancelled. Replaceable so tests need no dialog.
    using AskSavePath = std::function<QString(const QString& title, const QString& suggestedName)>;
    void setAskSavePath(AskSavePath ask) { askSavePath_ = std::move(ask); }
    // Which file to open (the What-if's policy file); empty when cancelled. Replaceable too.
    using AskOpenPath = std::function<QString(const QString& title)>;
    void setAskOpenPath(AskOpenPath ask) { askOpenPath_ = std::move(ask); }
    std::uint64_t renderedSequence() const { return renderedSequence_; }
    // The status bar's message, and the engine's answer to the last command this window sent.
    QString statusText() const;
    std::optional<CommandResult> lastResult() const { return lastResult_; }

Q_SIGNALS:
    void commandAnswered(const tai::CommandResult& result);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void onSnapshot(const SnapshotPtr& snapshot);
    void render();
    void requestBreakerControl(const QString& breaker, BreakerControl control);
    void requestRolloutControl(const QString& deployment, RolloutControl control, const QString& region);
    void requestUndo(const QString& service, int revision);
    void requestDeployment(const QJsonObject& request);
    void send(const EngineCommand& command, const QString& description);
    void sendPayment(const QByteArray& json);
    void buildDocks();
    void buildAndonAndTraces();
    void requestAlertControl(const ActiveAlert& alert);
    void whyForAlert(const ActiveAlert& alert);
    void notifyTray(const EngineSnapshot& snapshot);
    void buildActions();
    void restoreLayout();
    void resetLayout();
    void saveTextFile(const QString& title, const QString& suggestedName, const QByteArray& content);
    void runWhatIf();

    Engine& engine_;
    Confirm confirm_;
    AskMinutes askMinutes_;
    SnapshotPtr latest_;
    QTimer frame_;
    std::uint64_t renderedSequence_ = 0;
    QByteArray defaultState_;
    bool restoredState_ = false;
    bool shownOnce_ = false;
    class QDockWidget* timelineDock_ = nullptr;
    class QDockWidget* injectorDock_ = nullptr;

    AndonHeader* header_;
    BreakerPanel* breakers_;
    FlowPanel* flow_;
    KaizenCharts* charts_;
    DeploymentPanel* deployments_;
    AuditLogView* auditLog_ = nullptr;
    ApiStatusIndicator* apiIndicator_ = nullptr;
    std::function<struct ApiStatus()> apiStatus_;
    class QTabWidget* views_;
    PaymentForm* paymentForm_ = nullptr;
    BurstForm* burstForm_ = nullptr;
    FaultPanel* faults_ = nullptr;
    TimelineView* timeline_ = nullptr;
    QLabel* status_;
    AndonBoard* andonBoard_ = nullptr;
    TraceView* traceView_ = nullptr;
    class WhyBlockedDialog* lastWhy_ = nullptr;
    QSystemTrayIcon* tray_ = nullptr;
    QSet<QString> announced_;
    std::int64_t traceRefreshSecond_ = 0;  // firing alert keys already shown in the tray
    ScenarioSession* training_ = nullptr;
    TrainingBar* trainingBar_ = nullptr;
    BriefingPanel* briefing_ = nullptr;
    DebriefView* debrief_ = nullptr;
    AskSavePath askSavePath_;
    AskOpenPath askOpenPath_;
    std::unique_ptr<QTemporaryDir> whatIfDir_;  // the What-if's input and diff
    QFuture<void> whatIf_;                      // the What-if replaying, if one is
    std::optional<CommandResult> lastResult_;
};

}  // namespace ui
}  // namespace tai
