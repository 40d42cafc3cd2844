#include "breaker_card.h"

#include "status_colors.h"
#include "status_light.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTime>

#include <chrono>

namespace tai::ui {

namespace {
QString seconds(Duration d) {
    return QString::number(std::max(0.0, toSeconds(d)), 'f', 0) + QStringLiteral(" s");
}

QString stateWord(BreakerState state) {
    switch (state) {
        case BreakerState::Closed:
            return QStringLiteral("CLOSED");
        case BreakerState::Open:
            return QStringLiteral("OPEN");
        case BreakerState::HalfOpen:
            return QStringLiteral("HALF");
    }
    return {};
}

QString clockTime(TimePoint t) {
    const auto ms = toEpochMs(t) % (24LL * 3600 * 1000);
    return QTime::fromMSecsSinceStartOfDay(static_cast<int>(ms)).toString(QStringLiteral("HH:mm:ss"));
}
}  // namespace

BreakerCard::BreakerCard(const QString& breaker, bool compact, QWidget* parent)
    : QFrame(parent), breaker_(breaker), compact_(compact) {
    setObjectName(QStringLiteral("breakerCard:") + breaker);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(QStringLiteral("Circuit breaker ") + breaker);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(10, 8, 10, 8);

    light_ = new StatusLight(compact ? 40 : 58, this);
    light_->setToolTip(
        QStringLiteral("Breaker state. CLOSED: calls flow. OPEN: calls fail fast until the recovery "
                       "timer moves it to HALF-open. HALF-open: a few probe calls decide."));
    grid->addWidget(light_, 0, 0, compact ? 2 : 3, 1, Qt::AlignTop);

    title_ = new QLabel(this);
    // The title wraps rather than widening the card: a long "[FORCED by operator]" used to push
    // the Release button out of the card at 1280x800 (issue 17, item 5).
    title_->setWordWrap(true);
    title_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = title_->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title_->setFont(bold);
    failures_ = new QLabel(this);
    failures_->setToolTip(
        QStringLiteral("Consecutive failed calls against the threshold that opens the breaker. "
                       "A success resets the count."));
    failures_->setWordWrap(true);
    failures_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    detail_ = new QLabel(this);
    detail_->setWordWrap(true);
    detail_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    detail_->setToolTip(
        QStringLiteral("While open: time until it tries half-open, and the current recovery timeout "
                       "(doubles on each re-open, up to the cap). While half-open: probes in flight "
                       "and successes needed to close."));
    grid->addWidget(title_, 0, 1, 1, 4);
    if (compact) {
        grid->setContentsMargins(6, 3, 6, 3);
        grid->setVerticalSpacing(2);
        failures_->hide();
        detail_->hide();  // the title line carries state and failures; the tooltip explains
    } else {
        grid->addWidget(failures_, 1, 1, 1, 4);
        grid->addWidget(detail_, 2, 1, 1, 4);
    }

    auto* forceOpen = addControl(
        QStringLiteral("Force open"), QStringLiteral("forceOpen"), BreakerControl::ForceOpen,
        QStringLiteral("Isolate the downstream: every call fails fast until released (Ctrl+Shift+O)."));
    auto* forceHalf = addControl(
        QStringLiteral("Force half-open"), QStringLiteral("forceHalfOpen"), BreakerControl::ForceHalfOpen,
        QStringLiteral("Skip the wait and let probe calls test the downstream now (Ctrl+Shift+H)."));
    auto* forceClosed = addControl(
        QStringLiteral("Force closed"), QStringLiteral("forceClosed"), BreakerControl::ForceClosed,
        QStringLiteral("Let every call through and ignore failures until released (Ctrl+Shift+C)."));
    auto* release =
        addControl(QStringLiteral("Release"), QStringLiteral("release"), BreakerControl::Release,
                   QStringLiteral("Hand the breaker back to its automatic rules (Ctrl+Shift+R)."));
    if (compact) {
        // Short buttons under the text keep a deployment breaker to two lines.
        forceOpen->setText(QStringLiteral("Open"));
        forceHalf->setText(QStringLiteral("Half"));
        forceClosed->setText(QStringLiteral("Close"));
        auto* row = new QHBoxLayout;
        row->setSpacing(3);
        for (QPushButton* b : {forceOpen, forceHalf, forceClosed, release}) {
            b->setMaximumHeight(22);
            row->addWidget(b);
        }
        row->addStretch();
        grid->addLayout(row, 1, 1, 1, 4);
    } else {
        // The buttons take the card's full width, under the light too.
        auto* row = new QHBoxLayout;
        row->setSpacing(4);
        for (QPushButton* b : {forceOpen, forceHalf, forceClosed, release}) {
            row->addWidget(b);
        }
        grid->addLayout(row, 3, 0, 1, 5);
    }

    transitions_ = new QLabel(this);
    transitions_->setTextFormat(Qt::PlainText);
    transitions_->setWordWrap(true);
    transitions_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    transitions_->setToolTip(
        QStringLiteral("The latest state changes of this breaker, newest first, with their reasons."));
    transitions_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    if (compact) {
        transitions_->hide();
    } else {
        grid->addWidget(transitions_, 4, 0, 1, 5);
    }
    grid->setColumnStretch(4, 1);
}

QPushButton* BreakerCard::addControl(const QString& text, const QString& name, BreakerControl control,
                                     const QString& tip) {
    auto* button = new QPushButton(text, this);
    button->setObjectName(name);
    button->setAccessibleName(text + QStringLiteral(" ") + breaker_);
    button->setToolTip(tip);
    connect(button, &QPushButton::clicked, this,
            [this, control] { Q_EMIT controlRequested(breaker_, control); });
    return button;
}

void BreakerCard::showBreaker(const BreakerView& view, TimePoint now, const QString& cause) {
    const BreakerStatus& s = view.status;
    light_->setState(breakerColor(s.state), stateWord(s.state));
    title_->setText(s.name + QStringLiteral(" — ") +
                    toString(s.state).toUpper().replace(QLatin1Char('_'), QLatin1Char('-')) +
                    (s.forced ? QStringLiteral("  [FORCED by operator]") : QString()));
    if (compact_) {
        QString line =
            s.name + QStringLiteral(" — ") +
            toString(s.state).toUpper().replace(QLatin1Char('_'), QLatin1Char('-')) +
            (s.forced ? QStringLiteral(" [FORCED]") : QString()) +
            QStringLiteral("  · failures %1/%2").arg(s.consecutiveFailures).arg(s.failureThreshold);
        if (s.state == BreakerState::Open && s.halfOpenAt) {
            line += QStringLiteral(" · half-open in ") + seconds(*s.halfOpenAt - now);
        }
        title_->setText(line);
        QFont plain = title_->font();
        plain.setPointSizeF(font().pointSizeF());
        title_->setFont(plain);
    }
    failures_->setText(QStringLiteral("Consecutive failures: %1 / %2   ·   trips: %3")
                           .arg(s.consecutiveFailures)
                           .arg(s.failureThreshold)
                           .arg(s.trips));
    switch (s.state) {
        case BreakerState::Open:
            detail_->setText(
                s.halfOpenAt ? QStringLiteral("Half-open in %1   ·   backoff %2")
                                   .arg(seconds(*s.halfOpenAt - now), seconds(s.currentRecoveryTimeout))
                             : QStringLiteral("Held open by the operator: no recovery timer until released"));
            break;
        case BreakerState::HalfOpen:
            detail_->setText(QStringLiteral("Probes in flight %1 / %2   ·   successes %3 / %4 to close")
                                 .arg(s.probesInFlight)
                                 .arg(s.halfOpenMaxProbes)
                                 .arg(s.probeSuccesses)
                                 .arg(s.successThreshold));
            break;
        case BreakerState::Closed:
            detail_->setText(s.forced
                                 ? QStringLiteral("Held closed by the operator: failures are not counted")
                                 : QStringLiteral("Calls flow; next recovery timeout %1")
                                       .arg(seconds(s.currentRecoveryTimeout)));
            break;
    }
    if (!cause.isEmpty()) {
        detail_->setText(QStringLiteral("Failing: ") + cause + QStringLiteral("\n") + detail_->text());
    }
    QStringList lines;
    for (auto it = view.recent.rbegin(); it != view.recent.rend() && lines.size() < 4; ++it) {
        lines << QStringLiteral("%1  %2 → %3  %4")
                     .arg(clockTime(it->at), toString(it->from), toString(it->to), it->reason);
    }
    transitions_->setText(lines.isEmpty() ? QStringLiteral("No transitions yet")
                                          : lines.join(QLatin1Char('\n')));
}

QString BreakerCard::stateText() const {
    return title_->text();
}
QString BreakerCard::detailText() const {
    return detail_->text();
}

}  // namespace tai::ui
