// The console's side of a training run: speed control, briefing, debrief, saving the session.
#include "briefing_panel.h"
#include "debrief_view.h"
#include "main_window.h"
#include "scenario/scenario_session.h"
#include "scenario/what_if.h"
#include "training_bar.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>

namespace tai::ui {

void MainWindow::attachTraining(ScenarioSession& session) {
    training_ = &session;
    if (!askSavePath_) {
        askSavePath_ = [this](const QString& title, const QString& suggested) {
            return QFileDialog::getSaveFileName(this, title, suggested, QStringLiteral("JSON (*.json)"));
        };
    }
    const Scenario& scenario = session.scenario();
    setWindowTitle(QStringLiteral("TAI Console — Training: ") + scenario.title);

    trainingBar_ = new TrainingBar(session, this);
    addToolBar(Qt::TopToolBarArea, trainingBar_);

    briefing_ = new BriefingPanel(session, this);
    auto* briefingDock = new QDockWidget(QStringLiteral("Briefing"), this);
    briefingDock->setObjectName(QStringLiteral("briefingDock"));
    briefingDock->setWidget(briefing_);
    addDockWidget(Qt::RightDockWidgetArea, briefingDock);
    if (auto* injector = findChild<QDockWidget*>(QStringLiteral("injectorDock"))) {
        tabifyDockWidget(injector, briefingDock);
    }
    briefingDock->show();
    briefingDock->raise();

    debrief_ = new DebriefView(this);
    debrief_->hide();
    const auto saveSession = [this] {
        saveTextFile(QStringLiteral("Save session"),
                     training_->scenario().name + QStringLiteral("-session.json"), training_->sessionFile());
    };
    connect(trainingBar_, &TrainingBar::saveSessionRequested, this, saveSession);
    connect(debrief_, &DebriefView::saveSessionRequested, this, saveSession);
    connect(debrief_, &DebriefView::saveReportRequested, this, [this] {
        saveTextFile(QStringLiteral("Save report"),
                     training_->scenario().name + QStringLiteral("-report.json"),
                     QJsonDocument(training_->report()).toJson(QJsonDocument::Indented));
    });
    if (!askOpenPath_) {
        askOpenPath_ = [this](const QString& title) {
            return QFileDialog::getOpenFileName(this, title, QString(), QStringLiteral("Policy (*.json)"));
        };
    }
    connect(debrief_, &DebriefView::whatIfRequested, this, &MainWindow::runWhatIf);
    connect(&session, &ScenarioSession::finished, this, [this](const QJsonObject& report) {
        debrief_->showReport(training_->scenario().title, report);
        views_->addTab(debrief_, QStringLiteral("Debrief"));
        views_->setCurrentWidget(debrief_);
        status_->setText(QStringLiteral("Training run complete: %1").arg(debrief_->verdict()));
    });
}

void MainWindow::runWhatIf() {
    const QString path =
        askOpenPath_ ? askOpenPath_(QStringLiteral("What if… — the other policy file")) : QString();
    if (path.isEmpty()) {
        return;
    }
    const QString name = QFileInfo(path).fileName();
    const PolicyLoadResult other = loadPolicyFile(path);
    if (!other.ok()) {
        WhatIfRun refused;
        refused.error = other.errors.join(QStringLiteral("; "));
        debrief_->showWhatIf(name, refused);
        return;
    }
    // The diff stays where the operator can open it: beside the other temporary files of the run.
    if (!whatIfDir_) {
        whatIfDir_ = std::make_unique<QTemporaryDir>();
    }
    debrief_->showWhatIfRunning(name);
    status_->setText(QStringLiteral("What if %1: replaying…").arg(name));
    const Engine* engine = &training_->engine();
    auto* watcher = new QFutureWatcher<WhatIfRun>(this);
    connect(watcher, &QFutureWatcher<WhatIfRun>::finished, this, [this, watcher, name] {
        watcher->deleteLater();
        const WhatIfRun run = watcher->result();
        debrief_->showWhatIf(name, run);
        status_->setText(run.error.isEmpty() ? QStringLiteral("What if %1: %2 of %3 lines differ (all in %4)")
                                                   .arg(name)
                                                   .arg(run.comparison.differing)
                                                   .arg(run.comparison.lines)
                                                   .arg(QDir::toNativeSeparators(run.diffPath))
                                             : QStringLiteral("What if %1: %2").arg(name, run.error));
    });
    const QFuture<WhatIfRun> future = QtConcurrent::run(
        [engine, session = training_->sessionFile(), seed = training_->seed(), start = training_->startTime(),
         policy = training_->policy(), otherPolicy = other.policy, dir = whatIfDir_->path()] {
            return tai::runWhatIf(*engine, session, seed, start, policy, otherPolicy, dir);
        });
    whatIf_ = QFuture<void>(future);
    watcher->setFuture(future);
}

void MainWindow::saveTextFile(const QString& title, const QString& suggestedName, const QByteArray& content) {
    const QString path = askSavePath_ ? askSavePath_(title, suggestedName) : QString();
    if (path.isEmpty()) {
        return;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        QMessageBox::warning(this, title,
                             QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    status_->setText(QStringLiteral("Saved %1").arg(path));
}

}  // namespace tai::ui
