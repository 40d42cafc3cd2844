#include "rollout_card.h"

#include "health_sparkline.h"
#include "stage_chips.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tai::ui {

RolloutCard::RolloutCard(const QString& deployment, QWidget* parent)
    : QFrame(parent), deployment_(deployment) {
    setObjectName(QStringLiteral("rollout:") + deployment);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(QStringLiteral("Deployment ") + deployment);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    title_ = new QLabel(this);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    title_->setWordWrap(true);
    // The title row carries the undo to this revision; the control row below is full at 1280 px.
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(title_, 1);
    undo_ = new QPushButton(QStringLiteral("Undo to this"), this);
    titleRow->addWidget(undo_, 0, Qt::AlignTop);
    layout->addLayout(titleRow);
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(3);
    buttons->addWidget(
        addControl(QStringLiteral("Pause"), RolloutControl::Pause,
                   QStringLiteral("Hold the active stage where it is. Health is still watched and a bad "
                                  "sample still rolls back.")));
    buttons->addWidget(addControl(QStringLiteral("Resume"), RolloutControl::Resume,
                                  QStringLiteral("Continue a paused rollout.")));
    buttons->addWidget(addControl(QStringLiteral("Promote"), RolloutControl::Promote,
                                  QStringLiteral("Skip the rest of the current stage.")));
    buttons->addWidget(
        addControl(QStringLiteral("Promote full"), RolloutControl::PromoteFull,
                   QStringLiteral("Skip every remaining stage of the active region: straight to 100 %.")));
    buttons->addWidget(
        addControl(QStringLiteral("Abort"), RolloutControl::Abort,
                   QStringLiteral("Roll back the active region and cancel the rest (asks to confirm).")));
    buttons->addWidget(
        addControl(QStringLiteral("Retry"), RolloutControl::Retry,
                   QStringLiteral("Start an aborted, failed or rolled-back rollout again from its first "
                                  "unfinished region.")));
    undo_->setObjectName(QStringLiteral("undo"));
    undo_->setAccessibleName(QStringLiteral("Undo to ") + deployment_);
    undo_->setEnabled(false);
    connect(undo_, &QPushButton::clicked, this, [this] { Q_EMIT undoRequested(service_, revision_); });
    buttons->addStretch();
    layout->addLayout(buttons);
    grid_ = new QGridLayout;
    grid_->setHorizontalSpacing(8);
    grid_->setColumnStretch(1, 1);
    layout->addLayout(grid_);
}

QPushButton* RolloutCard::addControl(const QString& text, RolloutControl control, const QString& tip) {
    auto* button = new QPushButton(text, this);
    button->setMinimumWidth(
        10);  // may shrink with the tab; the tooltip and accessible name keep the full meaning
    button->setObjectName(toString(control));
    button->setAccessibleName(text + QStringLiteral(" ") + deployment_);
    button->setToolTip(tip);
    connect(button, &QPushButton::clicked, this,
            [this, control] { Q_EMIT controlRequested(deployment_, control, {}); });
    controls_.insert(static_cast<int>(control), button);
    return button;
}

RolloutCard::RegionRow& RolloutCard::row(const QString& region) {
    auto found = rows_.find(region);
    if (found != rows_.end()) {
        return *found;
    }
    // Two lines per region so the card fits beside the breakers at 1280 px: the path on top,
    // progress, health and the rollback button under it.
    const int r = static_cast<int>(rows_.size()) * 2;
    RegionRow row{new QLabel(region, this), new StageChips(this), new QLabel(this), new HealthSparkline(this),
                  new QPushButton(QStringLiteral("Roll back"), this)};
    row.progress->setMinimumWidth(110);
    row.progress->setToolTip(
        QStringLiteral("Traffic on the new version, and time in the stage against its plan."));
    row.rollback->setObjectName(QStringLiteral("rollback:") + region);
    row.rollback->setAccessibleName(QStringLiteral("Roll back ") + region);
    row.rollback->setToolTip(
        QStringLiteral("Put this region back on its previous version (also a completed region)."));
    connect(row.rollback, &QPushButton::clicked, this,
            [this, region] { Q_EMIT controlRequested(deployment_, RolloutControl::Rollback, region); });
    QFont bold = row.name->font();
    bold.setBold(true);
    row.name->setFont(bold);
    grid_->addWidget(row.name, r, 0);
    grid_->addWidget(row.chips, r, 1, 1, 3);
    grid_->addWidget(row.progress, r + 1, 1);
    grid_->addWidget(row.health, r + 1, 2);
    grid_->addWidget(row.rollback, r + 1, 3);
    return *rows_.insert(region, row);
}

void RolloutCard::showRevision(int revision, const QString& undoRefusal) {
    revision_ = revision;
    undoRefusal_ = undoRefusal;
}

void RolloutCard::showRollout(const RolloutView& v) {
    service_ = v.service;
    QString title = QStringLiteral("%1 · %2 %3%4 — %5")
                        .arg(v.id, v.service, v.version,
                             revision_ > 0 ? QStringLiteral(" (rev %1)").arg(revision_) : QString(),
                             toString(v.status).toUpper().replace(QLatin1Char('_'), QLatin1Char(' ')));
    if (!v.requestedBy.isEmpty()) {
        title += QStringLiteral(" · requested by ") + v.requestedBy;
    }
    if (v.mttrS >= 0) {
        title += QStringLiteral(" · MTTR %1 s").arg(v.mttrS, 0, 'f', 1);
    }
    title_->setText(title);
    undo_->setEnabled(revision_ > 0 && undoRefusal_.isEmpty());
    undo_->setToolTip(revision_ == 0 || !undoRefusal_.isEmpty()
                          ? undoRefusal_
                          : QStringLiteral("Argo's undo: a new rollout of %1 %2 (revision %3), through the "
                                           "stages and the safety policy (asks to confirm).")
                                .arg(v.service, v.version)
                                .arg(revision_));
    const bool running = v.status == RolloutStatus::InProgress || v.status == RolloutStatus::Paused;
    const bool halted = v.status == RolloutStatus::Aborted || v.status == RolloutStatus::Failed ||
                        v.status == RolloutStatus::RolledBack;
    controls_.value(static_cast<int>(RolloutControl::Pause))
        ->setEnabled(v.status == RolloutStatus::InProgress);
    controls_.value(static_cast<int>(RolloutControl::Resume))
        ->setEnabled(v.status == RolloutStatus::Paused || v.status == RolloutStatus::Interrupted);
    controls_.value(static_cast<int>(RolloutControl::Promote))->setEnabled(running && v.activeRegion >= 0);
    controls_.value(static_cast<int>(RolloutControl::PromoteFull))
        ->setEnabled(running && v.activeRegion >= 0);
    controls_.value(static_cast<int>(RolloutControl::Abort))->setEnabled(running && v.activeRegion >= 0);
    controls_.value(static_cast<int>(RolloutControl::Retry))->setEnabled(halted);
    for (const RegionView& region : v.regions) {
        RegionRow& r = row(region.region);
        r.chips->showRegion(region, v.stageNames, v.stageWeights);
        if (region.stageIndex >= 0) {
            r.progress->setText(QStringLiteral("%1 % · %2 / %3 s%4")
                                    .arg(region.weight)
                                    .arg(region.elapsedS, 0, 'f', 0)
                                    .arg(region.plannedS, 0, 'f', 0)
                                    .arg(region.baking ? QStringLiteral(" (bake)") : QString()));
        } else {
            r.progress->setText(region.stage == u"pending"
                                    ? QStringLiteral("waiting")
                                    : QString(region.stage).replace(QLatin1Char('_'), QLatin1Char(' ')));
        }
        r.progress->setToolTip(region.note);
        r.health->showHealth(region.health, v.maxErrorRate, v.marginalErrorRate, v.maxP99Ms, v.marginalP99Ms);
        r.rollback->setEnabled(region.stageIndex >= 0 || region.stage == u"done");
    }
}

QString RolloutCard::statusText() const {
    return title_->text();
}

QString RolloutCard::regionText(const QString& region) const {
    const auto found = rows_.constFind(region);
    return found == rows_.constEnd()
               ? QString()
               : found->chips->summary() + QStringLiteral(" | ") + found->progress->text();
}

}  // namespace tai::ui
