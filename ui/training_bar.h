#pragma once

#include <QToolBar>

class QAction;
class QActionGroup;
class QLabel;
class QProgressBar;

namespace tai {
class ScenarioSession;
}

namespace tai::ui {

// The training run's toolbar: pause, step (a second, or to the next timeline event), 1×, 10×,
// 100× and max, the virtual clock against the scenario's length, a progress bar and what the
// timeline does next. Also "Save session…", which the main window handles.
class TrainingBar : public QToolBar {
    Q_OBJECT
public:
    TrainingBar(ScenarioSession& session, QWidget* parent = nullptr);

    QAction* pauseAction() const { return pause_; }
    QAction* stepSecondAction() const { return stepSecond_; }
    QAction* stepEventAction() const { return stepEvent_; }
    QAction* speedAction(const QString& label) const;  // "1×", "10×", "100×", "Max"
    QAction* saveSessionAction() const { return save_; }
    QString clockText() const;
    int progress() const;  // permille of the run

Q_SIGNALS:
    void saveSessionRequested();

private:
    void refresh();

    ScenarioSession& session_;
    QAction* pause_;
    QAction* stepSecond_;
    QAction* stepEvent_;
    QActionGroup* speeds_;
    QAction* save_;
    QLabel* clock_;
    QProgressBar* progress_;
    QLabel* next_;
};

}  // namespace tai::ui
