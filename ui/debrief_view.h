#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableView;
class QTreeWidget;

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

Q_SIGNALS:
    void saveReportRequested();
    void saveSessionRequested();

private:
    QJsonObject report_;
    QLabel* heading_;
    QLabel* verdict_;
    QTreeWidget* objectives_;
    QLabel* kpis_;
    ScenarioEventsModel* events_;
    QTableView* eventTable_;
};

}  // namespace tai::ui
