#pragma once

#include "engine/engine_snapshot.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace tai::ui {

class AlertBoardModel;

// The Andon board (§11): pending, firing and silenced alerts with severity, age and value
// against threshold, the buttons that answer the selected one (acknowledge, silence, its own
// control such as force half-open or roll back, and "Why?"), and the resolved history.
class AndonBoard : public QWidget {
    Q_OBJECT
public:
    explicit AndonBoard(QWidget* parent = nullptr);
    void showSnapshot(const EngineSnapshot& snapshot);

    AlertBoardModel* activeModel() const { return active_; }
    AlertBoardModel* historyModel() const { return history_; }
    QTableView* activeTable() const { return activeTable_; }
    void selectAlert(const QString& key);
    QPushButton* controlButton() const { return control_; }

Q_SIGNALS:
    void acknowledgeRequested(const QString& key);
    void silenceRequested(const QString& key);
    // The alert's own control: "force_half_open" on a breaker, "rollback" on a deployment.
    void controlRequested(const tai::ActiveAlert& alert);
    void whyRequested(const tai::ActiveAlert& alert);

private:
    const ActiveAlert* selected() const;
    void updateButtons();

    AlertBoardModel* active_;
    AlertBoardModel* history_;
    QTableView* activeTable_;
    QTableView* historyTable_;
    QLabel* summary_;
    QLabel* notifiers_;
    QPushButton* ack_;
    QPushButton* silence_;
    QPushButton* control_;
    QPushButton* why_;
};

QString controlLabel(const QString& control);  // "Force half-open", "Roll back…", …

}  // namespace tai::ui
