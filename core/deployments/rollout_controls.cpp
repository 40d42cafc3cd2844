#include "deployments/rollout_state.h"

namespace tai {

// The operator controls of §5.5.
QString DeploymentOrchestrator::control(const QString& id, RolloutControl control, const QString& regionName,
                                        const QString& why) {
    Rollout* found = find(id);
    if (found == nullptr) {
        return QStringLiteral("deployment: unknown deployment '%1'").arg(id);
    }
    Rollout& r = *found;
    const bool running = r.status == RolloutStatus::InProgress || r.status == RolloutStatus::Paused ||
                         r.status == RolloutStatus::Interrupted;
    const QString name = toString(control);
    switch (control) {
        case RolloutControl::Pause:
            if (r.status != RolloutStatus::InProgress) {
                return QStringLiteral("pause: the rollout is %1, not in progress").arg(toString(r.status));
            }
            r.status = RolloutStatus::Paused;
            break;
        case RolloutControl::Resume:
            if (r.status != RolloutStatus::Paused && r.status != RolloutStatus::Interrupted) {
                return QStringLiteral("resume: the rollout is %1, not paused").arg(toString(r.status));
            }
            if (r.status == RolloutStatus::Interrupted) {
                r.status = RolloutStatus::InProgress;
                if (r.active >= 0) {
                    enterStage(r, std::max(0, r.regions.at(static_cast<std::size_t>(r.active)).stageIndex));
                } else {
                    startNextRegion(r);
                }
                break;
            }
            r.status = RolloutStatus::InProgress;
            if (r.active >= 0 && r.stageTimer == 0 && !r.actionsRunning) {
                stageTimeUp(r);  // the stage ran out while paused
            }
            break;
        case RolloutControl::Promote:
        case RolloutControl::PromoteFull: {
            if (!running || r.active < 0 || r.actionsRunning) {
                return name + QStringLiteral(": no stage is running");
            }
            RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
            const int last = static_cast<int>(config_.stages.size()) - 1;
            if (control == RolloutControl::PromoteFull && region.stageIndex < last) {
                cancelTimers(r);
                runActions(r, {DeploymentAction::ShiftTraffic}, [this, &r, last] { stageRunning(r, last); });
            } else {
                if (r.stageTimer != 0) {
                    clock_.cancel(r.stageTimer);
                    r.stageTimer = 0;
                }
                const RolloutStatus was = r.status;
                r.status = RolloutStatus::InProgress;
                stageTimeUp(r);
                if (was == RolloutStatus::Paused && r.status == RolloutStatus::InProgress) {
                    r.status = RolloutStatus::Paused;
                }
            }
            break;
        }
        case RolloutControl::Abort:
            if (!running || r.active < 0) {
                return QStringLiteral("abort: the rollout is %1").arg(toString(r.status));
            }
            rollBack(r, r.active,
                     QStringLiteral("aborted by operator") +
                         (why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                     RolloutStatus::Aborted, false);
            break;
        case RolloutControl::Rollback: {
            const auto it =
                std::find_if(r.regions.begin(), r.regions.end(),
                             [&regionName](const RegionState& s) { return s.region == regionName; });
            if (it == r.regions.end()) {
                return QStringLiteral("region: '%1' is not part of deployment %2").arg(regionName, id);
            }
            const int index = static_cast<int>(it - r.regions.begin());
            if (index != r.active && it->stage != u"done") {
                return QStringLiteral(
                           "region: %1 is %2; only the active or a completed region can be rolled back")
                    .arg(regionName, it->stage);
            }
            rollBack(r, index,
                     QStringLiteral("rolled back by operator") +
                         (why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                     RolloutStatus::RolledBack, false);
            break;
        }
        case RolloutControl::Retry: {
            if (r.status != RolloutStatus::Aborted && r.status != RolloutStatus::Failed &&
                r.status != RolloutStatus::RolledBack) {
                return QStringLiteral(
                           "retry: only an aborted, failed or rolled-back rollout can be retried (it is %1)")
                    .arg(toString(r.status));
            }
            if (r.active >= 0) {
                return QStringLiteral("retry: a rollback is still in progress");
            }
            r.status =
                RolloutStatus::Aborted;  // not active while we check for another rollout of the service
            if (activeFor(r.signal.service)) {
                return QStringLiteral("retry: another rollout of %1 is in progress").arg(r.signal.service);
            }
            ++r.epoch;
            r.status = RolloutStatus::InProgress;
            // The queue is empty here: cancelled regions were drained, a rolled-back one is done().
            for (int i = 0; i < static_cast<int>(r.regions.size()); ++i) {
                RegionState& region = r.regions.at(static_cast<std::size_t>(i));
                if (region.stage != u"done") {
                    region =
                        RegionState{region.region,
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
            startNextRegion(r);
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
    return {};
}

}  // namespace tai
