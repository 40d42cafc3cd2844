#include "deployments/rollout_run.h"

#include "deployments/action_permits.h"

namespace tai {

using namespace std::chrono_literals;

RolloutRun::RolloutRun(RolloutContext& context)
    : config_(context.config),
      clock_(context.clock),
      infra_(context.infra),
      listener_(context.listener),
      breakers_(context.breakers),
      probe_(context.infra) {}

RolloutRun::RolloutRun(RolloutContext& context, DeploymentSignal signal) : RolloutRun(context) {
    Rollout& r = state_;
    r.signal = std::move(signal);
    r.createdAt = clock_.now();
    for (int i = 0; i < r.signal.regions.size(); ++i) {
        RegionState region;
        region.region = r.signal.regions.at(i);
        region.previousVersion = infra_.stableVersion(r.signal.service, region.region).value_or(QString());
        r.regions.push_back(region);
        int index = i;
        r.queue.tryPush(std::move(index));
    }
}

RolloutRun::~RolloutRun() {
    cancelTimers();
}

void RolloutRun::start() {
    startNextRegion();
}

bool RolloutRun::active() const {
    return state_.status == RolloutStatus::InProgress || state_.status == RolloutStatus::Paused ||
           state_.status == RolloutStatus::Interrupted;
}

void RolloutRun::startNextRegion() {
    Rollout& r = state_;
    auto next = r.queue.tryPull();  // WIP 1: only after the previous region called done()
    if (!next) {
        if (r.queue.depth() == 0 && r.status == RolloutStatus::InProgress) {
            const bool rolledBack = std::any_of(r.regions.begin(), r.regions.end(), [](const RegionState& s) {
                return s.stage == u"rolled_back";
            });
            if (rolledBack) {
                // An operator rolled a finished region back on the way: not deployed everywhere,
                // and retry takes it through its stages again.
                r.status = RolloutStatus::RolledBack;
                r.active = -1;
                return;
            }
            r.status = RolloutStatus::Completed;
            r.active = -1;
            if (listener_.alert) {
                listener_.alert(Severity::Low, QStringLiteral("deployment_succeeded"), r.signal.id,
                                QStringLiteral("GREEN: %1 %2 deployed to every region")
                                    .arg(r.signal.service, r.signal.version),
                                QString());
            }
            if (listener_.timeline) {
                listener_.timeline(r.signal.id, QStringLiteral("GREEN: deployment completed"));
            }
        }
        return;
    }
    r.active = *next;
    // One marginal alert per region: the condition does not start again at each stage boundary.
    r.regions.at(static_cast<std::size_t>(r.active)).marginalAlerted = false;
    enterStage(0);
}

void RolloutRun::emitStage(int region) {
    Rollout& r = state_;
    const RegionState& s = r.regions.at(static_cast<std::size_t>(region));
    if (listener_.report) {
        listener_.report(RolloutReportEvent{
            clock_.now(), QStringLiteral("rollout_stage"), r.signal.id, s.region, s.stage, s.weight, {}});
    }
    if (listener_.timeline) {
        listener_.timeline(r.signal.id,
                           QStringLiteral("%1 → %2 (%3 %)").arg(s.region, s.stage).arg(s.weight));
    }
    if (listener_.changed) {
        listener_.changed();
    }
}

void RolloutRun::runActions(int stage, std::vector<DeploymentAction> actions, std::function<void()> then) {
    Rollout& r = state_;
    if (actions.empty()) {
        r.actionsRunning = false;
        then();
        return;
    }
    r.actionsRunning = true;
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const DeploymentAction action = actions.front();
    auto acquired = ActionPermits::acquire(breakers_, region.region, action);
    if (const QString* blocked = std::get_if<QString>(&acquired)) {
        r.actionsRunning = false;
        fail(*blocked);
        return;
    }
    region.note = toString(action) + QStringLiteral("…");
    const std::uint64_t epoch = r.epoch;
    const TimePoint started = clock_.now();
    r.action =
        infra_.runAction(action, r.signal.id, region.region, static_cast<int>(++r.samples),
                         [this, &r, actions = std::move(actions), then = std::move(then),
                          permits = std::get<ActionPermits>(acquired), where = region.region, epoch, action,
                          stage, started](const ActionResult& result) mutable {
                             r.action = 0;
                             if (listener_.action) {
                                 listener_.action(DeploymentActionRecord{
                                     r.signal.id, r.signal.service, r.signal.version, where,
                                     config_.stages.at(static_cast<std::size_t>(stage)).name,
                                     toString(action), started, clock_.now(), result.ok, result.error});
                             }
                             permits.settle(result.ok);
                             if (epoch != r.epoch) {
                                 return;  // the rollout was halted while the action ran
                             }
                             if (!result.ok) {
                                 r.actionsRunning = false;
                                 fail(result.error);
                                 return;
                             }
                             r.regions.at(static_cast<std::size_t>(r.active)).note =
                                 toString(action) + QStringLiteral(" done");
                             actions.erase(actions.begin());
                             runActions(stage, std::move(actions), std::move(then));
                         });
}

void RolloutRun::enterStage(int stage) {
    Rollout& r = state_;
    cancelTimers();
    std::vector<DeploymentAction> actions;
    if (stage == 0) {
        actions = {DeploymentAction::ApplyConfig, DeploymentAction::RollPods};
    }
    actions.push_back(DeploymentAction::ShiftTraffic);
    runActions(stage, std::move(actions), [this, &r, stage] { stageRunning(stage); });
}

void RolloutRun::stageRunning(int stage) {
    Rollout& r = state_;
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const RolloutStageConfig& config = config_.stages.at(static_cast<std::size_t>(stage));
    region.stageIndex = stage;
    region.stage = config.name;
    region.weight = config.weightPercent;
    region.baking = false;
    region.stageStartedAt = clock_.now();
    region.planned = std::chrono::seconds(config.durationS);
    region.awaitingPromote = config.pause;
    if (config.pause) {
        region.note = QStringLiteral("paused at %1 %: waiting for promote").arg(config.weightPercent);
    }
    emitStage(r.active);
    const std::uint64_t epoch = r.epoch;
    if (!config.pause) {  // a pause step has no planned end
        scheduleStageEnd(region.planned, epoch);
    }
    if (config.durationS > 0) {
        const auto slowAfter = Duration(
            static_cast<std::int64_t>(static_cast<double>(region.planned.count()) * config_.slowStageFactor));
        r.slowTimer = clock_.scheduleAfter(slowAfter, [this, &r, epoch, name = config.name] {
            r.slowTimer = 0;
            if (epoch == r.epoch && listener_.alert) {
                listener_.alert(
                    Severity::High, QStringLiteral("stage_slow"), r.signal.id,
                    QStringLiteral("%1 slow to progress in %2 (%3)")
                        .arg(name, r.regions.at(static_cast<std::size_t>(r.active)).region, r.signal.id),
                    r.regions.at(static_cast<std::size_t>(r.active)).region);
            }
        });
    }
    scheduleHealth(epoch);
}

void RolloutRun::stageTimeUp(bool promoted) {
    Rollout& r = state_;
    if (r.status == RolloutStatus::Paused || r.active < 0 || r.actionsRunning) {
        return;  // resume picks it up
    }
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const int last = static_cast<int>(config_.stages.size()) - 1;
    const RolloutStageConfig* stage =
        region.stageIndex >= 0 ? &config_.stages.at(static_cast<std::size_t>(region.stageIndex)) : nullptr;
    if (!promoted && !region.baking && stage != nullptr && (stage->pause || stage->requireConfirmation)) {
        if (!region.awaitingPromote) {
            region.awaitingPromote = true;
            region.note =
                QStringLiteral("%1 done: waiting for promote (require_confirmation)").arg(stage->name);
            if (listener_.changed) {
                listener_.changed();
            }
        }
        return;  // only an operator's promote ends it
    }
    region.awaitingPromote = false;
    if (region.stageIndex < last) {
        if (r.slowTimer != 0) {
            clock_.cancel(r.slowTimer);
            r.slowTimer = 0;
        }
        const int next = region.stageIndex + 1;
        if (r.healthTimer != 0) {
            clock_.cancel(r.healthTimer);
            r.healthTimer = 0;
        }
        // A pause step holds the weight it has: no traffic to shift.
        std::vector<DeploymentAction> actions;
        if (!config_.stages.at(static_cast<std::size_t>(next)).pause) {
            actions.push_back(DeploymentAction::ShiftTraffic);
        }
        runActions(next, std::move(actions), [this, &r, next] { stageRunning(next); });
        return;
    }
    if (!region.baking) {
        // At 100 %: the next region starts only after a healthy bake time.
        region.baking = true;
        if (r.slowTimer != 0) {
            clock_.cancel(r.slowTimer);
            r.slowTimer = 0;
        }
        region.note = QStringLiteral("baking %1 s").arg(config_.bakeTimeS);
        scheduleStageEnd(std::chrono::seconds(config_.bakeTimeS), r.epoch);
        return;
    }
    finishRegion();
}

void RolloutRun::finishRegion() {
    Rollout& r = state_;
    cancelTimers();
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    region.stage = QStringLiteral("done");
    region.baking = false;
    region.stageIndex = -1;
    region.note = QStringLiteral("healthy at 100 %");
    infra_.setStable(r.signal.service, region.region, r.signal.version);
    emitStage(r.active);
    r.queue.done();
    r.active = -1;
    startNextRegion();
}

void RolloutRun::sampleHealth() {
    Rollout& r = state_;
    if (r.active < 0 || r.status == RolloutStatus::Completed) {
        return;
    }
    const RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    probe_.ask(r.signal.service, r.signal.version, region.region, std::max(1, region.weight), ++r.samples,
               clock_.now(), [this, epoch = r.epoch, active = r.active](const HealthSample& h) {
                   // Halted, retried or on to another region while it was measured: stale.
                   if (epoch == state_.epoch && active == state_.active &&
                       state_.status != RolloutStatus::Completed) {
                       recordHealth(h);
                   }
               });
}

void RolloutRun::recordHealth(const HealthSample& h) {
    Rollout& r = state_;
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const HealthVerdict verdict = judgeHealth(config_, h);
    region.health.push_back(HealthPoint{clock_.now(), h.errorRate, h.p99Ms, verdict.result});
    while (region.health.size() > kHealthPoints) {
        region.health.pop_front();
    }
    const std::uint64_t epoch = r.epoch;
    if (verdict.result == MeasurementResult::Fail) {
        const QString& reason = verdict.reason;
        if (++region.failedSamples >= config_.failureLimit) {
            rollBack(r.active, reason, RolloutStatus::RolledBack, true);
            return;
        }
        region.note = QStringLiteral("failed sample %1/%2: %3")
                          .arg(region.failedSamples)
                          .arg(config_.failureLimit)
                          .arg(reason);
    } else if (verdict.result == MeasurementResult::Marginal) {
        const QString& measured = verdict.measured;
        if (verdict.inconclusive) {
            region.note = measured;  // every failed query says why, not only the first
        }
        if (!region.marginalAlerted) {
            region.marginalAlerted = true;
            if (config_.onMarginal == OnMarginal::Pause && r.status == RolloutStatus::InProgress) {
                // Argo's Inconclusive: neither healthy nor failing, so a human decides.
                r.status = RolloutStatus::Paused;
                r.pausedByAnalysis = true;
                region.note = QStringLiteral("paused: health marginal (") + measured +
                              QStringLiteral("): promote or roll back");
                if (listener_.timeline) {
                    listener_.timeline(
                        r.signal.id,
                        QStringLiteral("paused by analysis: health marginal in %1").arg(region.region));
                }
            }
            if (listener_.alert) {
                listener_.alert(Severity::High, QStringLiteral("health_marginal"), r.signal.id,
                                QStringLiteral("health marginal in %1: ").arg(region.region) + measured,
                                region.region);
            }
        }
    }
    if (listener_.changed) {
        listener_.changed();
    }
    // A measurement that answers while the stage changes: the next stage starts its own timer.
    if (r.healthTimer == 0 && !r.actionsRunning) {
        scheduleHealth(epoch);
    }
}

void RolloutRun::rollBack(int index, const QString& reason, RolloutStatus halt, bool automatic) {
    Rollout& r = state_;
    RegionState& region = r.regions.at(static_cast<std::size_t>(index));
    const bool isActive = index == r.active;
    if (isActive) {
        cancelTimers();
        ++r.epoch;  // any action still running finishes into nothing
        r.actionsRunning = false;
        r.detectedAt = clock_.now();
        r.status = halt;
    } else if (r.status == RolloutStatus::Completed) {
        r.status = RolloutStatus::RolledBack;  // no longer deployed everywhere: retry may redo it
    }
    // The rollback first, then what follows from it: the region at 0 %, the pending regions
    // cancelled, the alert.
    if (listener_.report) {
        listener_.report(RolloutReportEvent{
            clock_.now(), QStringLiteral("rollback"), r.signal.id, region.region, {}, 0, reason});
    }
    // Traffic back to the old version: a safety action, never blocked by a breaker, effective now.
    const TimePoint detected = clock_.now();
    region.weight = 0;
    region.stage = QStringLiteral("rolled_back");
    region.stageIndex = -1;
    region.baking = false;
    region.note =
        QStringLiteral("rolled back (") + reason + QStringLiteral("); traffic on ") + region.previousVersion;
    if (!region.previousVersion.isEmpty()) {
        // A real system is told; if it does not confirm, the operator must know at once.
        infra_.rollBack(
            r.signal.service, r.signal.id, region.region, region.previousVersion,
            [this, id = r.signal.id, where = region.region](const ActionResult& told) {
                if (!told.ok && listener_.alert) {
                    listener_.alert(
                        Severity::Critical, QStringLiteral("rollback_unconfirmed"), id,
                        QStringLiteral("rollback of %1 in %2 not confirmed: %3").arg(id, where, told.error),
                        where);
                }
            });
    }
    r.mttrS = toSeconds(clock_.now() - detected);
    if (listener_.action) {
        listener_.action(DeploymentActionRecord{
            r.signal.id, r.signal.service, r.signal.version, region.region, QStringLiteral("rolled_back"),
            QStringLiteral("rollback"), detected, clock_.now(), true, reason});
    }
    emitStage(index);
    if (isActive) {
        cancelPending();
        r.queue.done();
        r.active = -1;
    }
    if (automatic && listener_.alert) {
        listener_.alert(Severity::Critical, QStringLiteral("rollback_triggered"), r.signal.id,
                        QStringLiteral("rollback of %1 in %2: %3").arg(r.signal.id, region.region, reason),
                        region.region);
    }
}

void RolloutRun::cancelPending() {
    Rollout& r = state_;
    while (auto pending = r.queue.tryPullIgnoringWip()) {
        RegionState& region = r.regions.at(static_cast<std::size_t>(*pending));
        region.stage = QStringLiteral("cancelled");
        region.note = QStringLiteral("cancelled: rollout halted");
        emitStage(*pending);
    }
}

void RolloutRun::fail(const QString& reason) {
    Rollout& r = state_;
    const QString region =
        r.active >= 0 ? r.regions.at(static_cast<std::size_t>(r.active)).region : QString();
    rollBack(r.active, reason, RolloutStatus::Failed, false);
    if (listener_.alert) {
        listener_.alert(Severity::Critical, QStringLiteral("deployment_failed"), r.signal.id,
                        QStringLiteral("deployment %1 failed: %2").arg(r.signal.id, reason), region);
    }
}

void RolloutRun::scheduleStageEnd(Duration after, std::uint64_t epoch) {
    state_.stageTimer = clock_.scheduleAfter(after, [this, epoch] {
        state_.stageTimer = 0;
        if (epoch == state_.epoch) {
            stageTimeUp();
        }
    });
}

void RolloutRun::scheduleHealth(std::uint64_t epoch) {
    state_.healthTimer = clock_.scheduleAfter(std::chrono::seconds(config_.healthIntervalS), [this, epoch] {
        state_.healthTimer = 0;
        if (epoch == state_.epoch) {
            sampleHealth();
        }
    });
}

void RolloutRun::cancelTimers() {
    Rollout& r = state_;
    for (TimerId* timer : {&r.stageTimer, &r.healthTimer, &r.slowTimer}) {
        if (*timer != 0) {
            clock_.cancel(*timer);
            *timer = 0;
        }
    }
    if (r.action != 0) {
        infra_.cancelAction(r.action);  // an action still running finishes into nothing
        r.action = 0;
    }
    probe_.cancel();  // so is a measurement still in flight
}

}  // namespace tai
