#include "deployments/rollout_controls.h"

#include "deployments/rollout_run.h"

#include <algorithm>

namespace tai {

// The operator controls of §5.5.
std::optional<Refusal> RolloutControls::apply(
    RolloutControl control, const QString& regionName, const QString& why,
    const std::function<bool(const QString& service)>& anotherActive) {
    RolloutRun& run = run_;
    RolloutRun::Rollout& r = run.state_;
    const QString& id = r.signal.id;
    const DeploymentsConfig& config_ = run.config_;
    Clock& clock_ = run.clock_;
    InfraDriver& infra_ = run.infra_;
    DeploymentListener& listener_ = run.listener_;
    const bool running = r.status == RolloutStatus::InProgress || r.status == RolloutStatus::Paused ||
                         r.status == RolloutStatus::Interrupted;
    const QString name = toString(control);
    switch (control) {
        case RolloutControl::Pause:
            if (r.status != RolloutStatus::InProgress) {
                return conflict(QStringLiteral("the rollout is %1, not in progress").arg(toString(r.status)));
            }
            r.status = RolloutStatus::Paused;
            break;
        case RolloutControl::Resume:
            if (r.status != RolloutStatus::Paused && r.status != RolloutStatus::Interrupted) {
                return conflict(QStringLiteral("the rollout is %1, not paused").arg(toString(r.status)));
            }
            if (r.status == RolloutStatus::Interrupted) {
                r.status = RolloutStatus::InProgress;
                if (r.active >= 0) {
                    run.enterStage(std::max(0, r.regions.at(static_cast<std::size_t>(r.active)).stageIndex));
                } else {
                    run.startNextRegion();
                }
                break;
            }
            r.status = RolloutStatus::InProgress;
            if (r.active >= 0 && r.stageTimer == 0 && !r.actionsRunning) {
                run.stageTimeUp();  // the stage ran out while paused
            }
            break;
        case RolloutControl::Promote:
        case RolloutControl::PromoteFull: {
            if (!running || r.active < 0 || r.actionsRunning) {
                return conflict(QStringLiteral("no stage is running"));
            }
            RolloutRun::RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
            const int last = static_cast<int>(config_.stages.size()) - 1;
            if (control == RolloutControl::PromoteFull && region.stageIndex < last) {
                run.cancelTimers();
                run.runActions(last, {DeploymentAction::ShiftTraffic},
                               [&run, last] { run.stageRunning(last); });
            } else {
                if (r.stageTimer != 0) {
                    clock_.cancel(r.stageTimer);
                    r.stageTimer = 0;
                }
                const RolloutStatus was = r.status;
                r.status = RolloutStatus::InProgress;
                run.stageTimeUp();
                if (was == RolloutStatus::Paused && r.status == RolloutStatus::InProgress) {
                    r.status = RolloutStatus::Paused;
                }
            }
            break;
        }
        case RolloutControl::Abort:
            if (!running || r.active < 0) {
                return conflict(QStringLiteral("the rollout is %1").arg(toString(r.status)));
            }
            run.rollBack(r.active,
                         QStringLiteral("aborted by operator") +
                             (why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                         RolloutStatus::Aborted, false);
            break;
        case RolloutControl::Rollback: {
            const auto it = std::find_if(
                r.regions.begin(), r.regions.end(),
                [&regionName](const RolloutRun::RegionState& s) { return s.region == regionName; });
            if (it == r.regions.end()) {
                return notFound(QStringLiteral("region"),
                                QStringLiteral("'%1' is not part of deployment %2").arg(regionName, id));
            }
            const int index = static_cast<int>(it - r.regions.begin());
            if (index != r.active && it->stage != u"done") {
                return conflict(
                    QStringLiteral("%1 is %2; only the active or a completed region can be rolled back")
                        .arg(regionName, it->stage),
                    QStringLiteral("region"));
            }
            run.rollBack(index,
                         QStringLiteral("rolled back by operator") +
                             (why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                         RolloutStatus::RolledBack, false);
            break;
        }
        case RolloutControl::Retry: {
            if (r.status != RolloutStatus::Aborted && r.status != RolloutStatus::Failed &&
                r.status != RolloutStatus::RolledBack) {
                return conflict(
                    QStringLiteral("only an aborted, failed or rolled-back rollout can be retried (it is %1)")
                        .arg(toString(r.status)));
            }
            if (r.active >= 0) {
                return conflict(QStringLiteral("a rollback is still in progress"));
            }
            const RolloutStatus was = r.status;
            r.status = RolloutStatus::Aborted;  // not active while we look for another rollout of the service
            if (anotherActive(r.signal.service)) {
                r.status = was;  // a refused retry changes nothing
                return conflict(QStringLiteral("another rollout of %1 is in progress").arg(r.signal.service));
            }
            ++r.epoch;
            r.status = RolloutStatus::InProgress;
            // The queue is empty here: cancelled regions were drained, a rolled-back one is done().
            for (int i = 0; i < static_cast<int>(r.regions.size()); ++i) {
                RolloutRun::RegionState& region = r.regions.at(static_cast<std::size_t>(i));
                if (region.stage != u"done") {
                    region = RolloutRun::RegionState{
                        region.region,
                        QStringLiteral("pending"),
                        -1,
                        0,
                        false,
                        {},
                        Duration{0},
                        {},
                        0,
                        false,
                        infra_.stableVersion(r.signal.service, region.region).value_or(QString()),
                        QStringLiteral("retry")};
                    int index = i;
                    r.queue.tryPush(std::move(index));
                }
            }
            run.startNextRegion();
            break;
        }
    }
    if (listener_.timeline) {
        listener_.timeline(id, name + (regionName.isEmpty() ? QString() : QStringLiteral(" ") + regionName) +
                                   (why.isEmpty() ? QString() : QStringLiteral(": ") + why));
    }
    if (listener_.changed) {
        listener_.changed();
    }
    return std::nullopt;
}

}  // namespace tai
