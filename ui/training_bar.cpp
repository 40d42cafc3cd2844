#include "training_bar.h"

#include "scenario/scenario_session.h"
#include "training_text.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QProgressBar>

#include <cmath>

namespace tai::ui {

namespace {
struct Speed {
    const char16_t* label;
    double factor;
};
const Speed kSpeeds[] = {{u"1×", 1}, {u"10×", 10}, {u"100×", 100}, {u"Max", ScenarioSession::kMaxSpeed}};
}  // namespace

TrainingBar::TrainingBar(ScenarioSession& session, QWidget* parent)
    : QToolBar(QStringLiteral("Training"), parent), session_(session) {
    setObjectName(QStringLiteral("trainingBar"));
    setMovable(false);
    setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* title = new QLabel(QStringLiteral("  TRAINING  "), this);
    title->setStyleSheet(
        QStringLiteral("QLabel { background: #1d4ed8; color: white; font-weight: bold; border-radius: 3px; "
                       "padding: 2px 4px; }"));
    title->setToolTip(session.scenario().title);
    addWidget(title);
    addSeparator();

    pause_ = addAction(QStringLiteral("Pause"));
    pause_->setCheckable(true);
    pause_->setShortcut(QKeySequence(Qt::Key_F5));
    pause_->setToolTip(QStringLiteral("Pause or resume virtual time (F5)"));
    connect(pause_, &QAction::triggered, this,
            [this](bool paused) { paused ? session_.pause() : session_.resume(); });
    stepSecond_ = addAction(QStringLiteral("Step 1 s"));
    stepSecond_->setShortcut(QKeySequence(Qt::Key_F6));
    stepSecond_->setToolTip(QStringLiteral("Pause, then advance one virtual second (F6)"));
    connect(stepSecond_, &QAction::triggered, this, [this] { session_.stepSeconds(1); });
    stepEvent_ = addAction(QStringLiteral("Next event"));
    stepEvent_->setShortcut(QKeySequence(Qt::Key_F7));
    stepEvent_->setToolTip(QStringLiteral("Pause, then advance to the scenario's next timeline event (F7)"));
    connect(stepEvent_, &QAction::triggered, this, [this] { session_.stepEvent(); });
    addSeparator();

    speeds_ = new QActionGroup(this);
    speeds_->setExclusive(true);
    for (const Speed& speed : kSpeeds) {
        QAction* action = addAction(QString::fromUtf16(speed.label));
        action->setCheckable(true);
        action->setData(speed.factor);
        action->setToolTip(std::isinf(speed.factor)
                               ? QStringLiteral("As fast as the engine runs")
                               : QStringLiteral("%1 virtual seconds per second").arg(speed.factor));
        speeds_->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, factor = speed.factor] { session_.setSpeed(factor); });
    }
    addSeparator();

    clock_ = new QLabel(this);
    clock_->setStyleSheet(
        QStringLiteral("QLabel { font-family: monospace; font-size: 13pt; font-weight: bold; }"));
    clock_->setToolTip(QStringLiteral("Virtual time since the scenario started, and its length"));
    clock_->setAccessibleName(QStringLiteral("Virtual clock"));
    addWidget(clock_);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setFixedWidth(160);
    progress_->setAccessibleName(QStringLiteral("Scenario progress"));
    addWidget(progress_);
    next_ = new QLabel(this);
    next_->setToolTip(QStringLiteral("When the scenario's timeline does something next"));
    addWidget(next_);
    addSeparator();
    save_ = addAction(QStringLiteral("Save session…"));
    save_->setToolTip(
        QStringLiteral("Write this run as a scenario file: the timeline plus every command you gave, "
                       "at its virtual time. Running it reproduces this run exactly."));
    connect(save_, &QAction::triggered, this, &TrainingBar::saveSessionRequested);

    connect(&session_, &ScenarioSession::advanced, this, &TrainingBar::refresh);
    connect(&session_, &ScenarioSession::stateChanged, this, &TrainingBar::refresh);
    refresh();
}

QAction* TrainingBar::speedAction(const QString& label) const {
    for (QAction* action : speeds_->actions()) {
        if (action->text() == label) {
            return action;
        }
    }
    return nullptr;
}

QString TrainingBar::clockText() const {
    return clock_->text();
}

int TrainingBar::progress() const {
    return progress_->value();
}

void TrainingBar::refresh() {
    const double elapsed = session_.elapsedS();
    const double duration = session_.durationS();
    const bool done = session_.isFinished();
    const double speed = session_.speed();
    const QString pace = done                ? QStringLiteral("done")
                         : session_.paused() ? QStringLiteral("paused")
                         : std::isinf(speed) ? QStringLiteral("max")
                                             : QString::number(speed, 'g', 4) + QStringLiteral("×");
    clock_->setText(
        QStringLiteral(" %1 / %2 · %3 ").arg(ui::clockText(elapsed), ui::clockText(duration).mid(2), pace));
    progress_->setValue(static_cast<int>(std::lround(elapsed / duration * 1000)));
    pause_->setChecked(session_.paused() && !done);
    pause_->setText(session_.paused() ? QStringLiteral("Resume") : QStringLiteral("Pause"));
    for (QAction* action : {pause_, stepSecond_, stepEvent_}) {
        action->setEnabled(!done);
    }
    for (QAction* action : speeds_->actions()) {
        action->setEnabled(!done);
        action->setChecked(!session_.paused() && action->data().toDouble() == session_.speed());
    }
    const auto next = session_.nextEventS();
    next_->setText(done   ? QStringLiteral("  run complete: see the debrief")
                   : next ? QStringLiteral("  next event %1").arg(ui::clockText(*next))
                          : QStringLiteral("  no more events"));
}

}  // namespace tai::ui
