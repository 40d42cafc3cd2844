#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTabWidget;
class QTableWidget;
class QTreeWidget;

namespace tai {
struct WhatIfRun;
}

namespace tai::ui {

class ScenarioEventsModel;

// The end of a training run: which objectives were met and when, the KPIs, and the timeline of
// what happened (breaker transitions, rollout stages, rollbacks, alerts, operator commands).
class DebriefView : public QWidget {
    Q_OBJECT
public:
    explicit DebriefView(QWidget* parent = nullptr);

    void showReport(const QString& title, const QJsonObject& report);
    QJsonObject report() const { return report_; }
    QTreeWidget* objectives() const { return objectives_; }
    ScenarioEventsModel* events() const { return events_; }
    QString verdict() const;

    // "What if…": the run's traffic replayed under its own policy and `policyName`'s.
    void showWhatIfRunning(const QString& policyName);
    void showWhatIf(const QString& policyName, const WhatIfRun& run);
    QString whatIfSummary() const;
    QTableWidget* whatIfTable() const { return whatIfTable_; }
    QPushButton* whatIfButton() const { return whatIf_; }

Q_SIGNALS:
    void saveReportRequested();
    void saveSessionRequested();
    void whatIfRequested();

private:
    QJsonObject report_;
    QLabel* heading_;
    QLabel* verdict_;
    QTreeWidget* objectives_;
    QLabel* kpis_;
    ScenarioEventsModel* events_;
    QTableView* eventTable_;
    void showWhatIfPage();

    QTabWidget* sections_;
    QWidget* whatIfPage_;
    QPushButton* whatIf_;
    QLabel* whatIfSummary_;
    QTableWidget* whatIfTable_;
};

}  // namespace tai::ui
