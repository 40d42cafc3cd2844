#include "deployment_panel.h"

#include "deploy_form.h"
#include "rollout_card.h"
#include "status_colors.h"

#include "deployments/revision_history.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace tai::ui {

DeploymentPanel::DeploymentPanel(const QStringList& regions, QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    form_ = new DeployForm(regions, this);
    layout->addWidget(form_);
    faults_ = new QLabel(this);
    faults_->setWordWrap(true);
    faults_->setAccessibleName(QStringLiteral("Active infrastructure faults"));
    layout->addWidget(faults_);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* inner = new QWidget(scroll);
    list_ = new QVBoxLayout(inner);
    list_->setContentsMargins(0, 0, 0, 0);
    empty_ = new QLabel(
        QStringLiteral("No deployments yet. Request one above, over the API, or from a scenario."), inner);
    list_->addWidget(empty_);
    list_->addStretch();
    scroll->setWidget(inner);
    layout->addWidget(scroll, 1);
    connect(form_, &DeployForm::deploymentRequested, this, &DeploymentPanel::deploymentRequested);
}

void DeploymentPanel::showSnapshot(const EngineSnapshot& s) {
    active_ = 0;
    QHash<QString, std::vector<RevisionView>> histories;  // per service, for the cards' undo
    for (auto it = s.rollouts.rbegin(); it != s.rollouts.rend(); ++it) {
        RolloutCard* card = cards_.value(it->id);
        if (card == nullptr) {
            card = new RolloutCard(it->id, this);
            connect(card, &RolloutCard::controlRequested, this, &DeploymentPanel::controlRequested);
            connect(card, &RolloutCard::undoRequested, this, &DeploymentPanel::undoRequested);
            list_->insertWidget(0, card);  // newest on top
            cards_.insert(it->id, card);
        }
        if (!histories.contains(it->service)) {
            histories.insert(it->service, revisionHistory(s.rollouts, it->service));
        }
        const std::vector<RevisionView>& history = histories[it->service];
        const auto mine = std::find_if(history.begin(), history.end(),
                                       [&it](const RevisionView& r) { return r.deployment == it->id; });
        if (mine != history.end()) {
            const auto target = undoTarget(history, it->service, mine->revision);
            const Refusal* refused = std::get_if<Refusal>(&target);
            card->showRevision(mine->revision, refused != nullptr ? refused->message : QString());
        }
        card->showRollout(*it);
        active_ += it->status == RolloutStatus::InProgress || it->status == RolloutStatus::Paused ? 1 : 0;
    }
    empty_->setVisible(s.rollouts.empty());
    QStringList faults;
    for (const InfraFault& f : s.infraFaults) {
        QStringList parts;
        if (f.errorRate)
            parts << QStringLiteral("errors %1%").arg(*f.errorRate * 100, 0, 'g', 3);
        if (f.p99Ms)
            parts << QStringLiteral("p99 %1 ms").arg(*f.p99Ms);
        if (f.actionFailureRate)
            parts << QStringLiteral("action failures %1%").arg(*f.actionFailureRate * 100, 0, 'g', 3);
        if (f.capacity)
            parts << QStringLiteral("capacity %1").arg(*f.capacity);
        faults << QStringLiteral("%1%2: %3")
                      .arg(f.region,
                           f.version.isEmpty() ? QString()
                                               : QStringLiteral(" (") + f.version + QLatin1Char(')'),
                           parts.join(QStringLiteral(", ")));
    }
    faults_->setText(faults.isEmpty()
                         ? QStringLiteral("No infrastructure fault injected")
                         : QStringLiteral("⚠ Infrastructure faults: ") + faults.join(QStringLiteral("; ")));
    faults_->setStyleSheet(faults.isEmpty()
                               ? QString()
                               : QStringLiteral("color: %1; font-weight: bold;").arg(faultColor().name()));
}

}  // namespace tai::ui
