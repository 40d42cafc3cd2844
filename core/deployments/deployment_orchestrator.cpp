#include "deployments/deployment_orchestrator.h"

#include "deployments/rollout_state.h"

#include <deque>

namespace tai {

using namespace std::chrono_literals;

namespace {
QString percent(double v) {
    return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
}
}  // namespace

DeploymentOrchestrator::DeploymentOrchestrator(const DeploymentsConfig& config, Clock& clock,
                                               InfraSimulator& infra, DeploymentListener listener)
    : config_(config), clock_(clock), infra_(infra), listener_(std::move(listener)) {
    const auto add = [this](const QString& name) {
        auto breaker = std::make_unique<CircuitBreaker>(name, config_.breaker, clock_);
        breaker->setTransitionListener([this](const BreakerTransition& t) {
            if (listener_.breakerTransition) {
                listener_.breakerTransition(t);
            }
        });
        breakers_.emplace(name, std::move(breaker));
    };
    add(QStringLiteral("deploy:global"));
    for (const QString& region : config_.regions) {
        add(QStringLiteral("deploy:") + region);
    }
}

DeploymentOrchestrator::~DeploymentOrchestrator() {
    for (auto& r : rollouts_) {
        cancelTimers(*r);
    }
}

CircuitBreaker* DeploymentOrchestrator::breaker(const QString& name) {
    const auto found = breakers_.find(name);
    return found == breakers_.end() ? nullptr : found->second.get();
}

std::vector<BreakerStatus> DeploymentOrchestrator::breakerStatuses() const {
    std::vector<BreakerStatus> out;
    for (const QString& region : config_.regions) {
        out.push_back(breakers_.at(QStringLiteral("deploy:") + region)->status());
    }
    out.push_back(breakers_.at(QStringLiteral("deploy:global"))->status());
    return out;
}

DeploymentOrchestrator::Rollout* DeploymentOrchestrator::find(const QString& id) {
    for (auto& r : rollouts_) {
        if (r->signal.id == id) {
            return r.get();
        }
    }
    return nullptr;
}

bool DeploymentOrchestrator::activeFor(const QString& service) const {
    return std::any_of(rollouts_.begin(), rollouts_.end(), [&service](const auto& r) {
        return r->signal.service == service &&
               (r->status == RolloutStatus::InProgress || r->status == RolloutStatus::Paused ||
                r->status == RolloutStatus::Interrupted);
    });
}

DeploymentDecision DeploymentOrchestrator::request(DeploymentSignal signal) {
    DeploymentDecision decision;
    if (signal.regions.isEmpty()) {
        signal.regions = config_.regions;
    }
    if (signal.id.isEmpty()) {
        signal.id = QStringLiteral("d-%1").arg(nextId_++);
    } else if (find(signal.id) != nullptr) {
        decision.error = QStringLiteral("id: deployment '%1' already exists").arg(signal.id);
        return decision;
    }
    const DeploymentSubject subject{&signal,     signal.regions, &infra_, &config_, activeFor(signal.service),
                                    clock_.now()};
    const PolicyDecision verdict = safety_.evaluate(subject);
    decision.id = signal.id;
    if (verdict.rejected) {
        decision.reasons = safety_.reasonsOf(verdict);
        QStringList reasons(decision.reasons.begin(), decision.reasons.end());
        if (listener_.timeline) {
            listener_.timeline(signal.id,
                               QStringLiteral("deployment of %1 %2 rejected: %3")
                                   .arg(signal.service, signal.version, reasons.join(QStringLiteral(", "))));
        }
        return decision;
    }
    decision.accepted = true;
    auto rollout = std::make_unique<Rollout>();
    rollout->signal = signal;
    rollout->createdAt = clock_.now();
    for (int i = 0; i < signal.regions.size(); ++i) {
        RegionState region;
        region.region = signal.regions.at(i);
        region.previousVersion = infra_.stableVersion(signal.service, region.region).value_or(QString());
        rollout->regions.push_back(region);
        int index = i;
        rollout->queue.tryPush(std::move(index));
    }
    Rollout& r = *rollouts_.emplace_back(std::move(rollout));
    if (listener_.timeline) {
        listener_.timeline(
            r.signal.id,
            QStringLiteral("deployment of %1 %2 accepted for %3 (requested by %4)")
                .arg(r.signal.service, r.signal.version, r.signal.regions.join(QStringLiteral(" → ")),
                     r.signal.requestedBy.isEmpty() ? QStringLiteral("unknown") : r.signal.requestedBy));
    }
    startNextRegion(r);
    return decision;
}

void DeploymentOrchestrator::startNextRegion(Rollout& r) {
    auto next = r.queue.tryPull();  // WIP 1: only after the previous region called done()
    if (!next) {
        if (r.queue.depth() == 0 && r.status == RolloutStatus::InProgress) {
            r.status = RolloutStatus::Completed;
            r.active = -1;
            if (listener_.alert) {
                listener_.alert(Severity::Low, QStringLiteral("deployment_succeeded"), r.signal.id,
                                QStringLiteral("GREEN: %1 %2 deployed to every region")
                                    .arg(r.signal.service, r.signal.version));
            }
            if (listener_.timeline) {
                listener_.timeline(r.signal.id, QStringLiteral("GREEN: deployment completed"));
            }
        }
        return;
    }
    r.active = *next;
    enterStage(r, 0);
}

void DeploymentOrchestrator::emitStage(Rollout& r, int region) {
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

void DeploymentOrchestrator::runActions(Rollout& r, std::vector<DeploymentAction> actions,
                                        std::function<void()> then) {
    if (actions.empty()) {
        r.actionsRunning = false;
        then();
        return;
    }
    r.actionsRunning = true;
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const DeploymentAction action = actions.front();
    CircuitBreaker& regional = *breakers_.at(QStringLiteral("deploy:") + region.region);
    CircuitBreaker& global = *breakers_.at(QStringLiteral("deploy:global"));
    const BreakerPermit regionalPermit = regional.tryAcquire();
    if (!regionalPermit.allowed) {
        r.actionsRunning = false;
        fail(r, QStringLiteral("%1 blocked: breaker deploy:%2 is open").arg(toString(action), region.region));
        return;
    }
    const BreakerPermit globalPermit = global.tryAcquire();
    if (!globalPermit.allowed) {
        regional.onSuccess(regionalPermit);
        r.actionsRunning = false;
        fail(r, QStringLiteral("%1 blocked: breaker deploy:global is open").arg(toString(action)));
        return;
    }
    const ActionResult result =
        infra_.run(action, r.signal.id, region.region, static_cast<int>(++r.samples), clock_.now());
    region.note = toString(action) + QStringLiteral("…");
    const std::uint64_t epoch = r.epoch;
    r.actionTimer = clock_.scheduleAfter(result.takes, [this, &r, actions = std::move(actions),
                                                        then = std::move(then), result, regionalPermit,
                                                        globalPermit, epoch, action]() mutable {
        r.actionTimer = 0;
        CircuitBreaker& regionalBreaker = *breakers_.at(
            QStringLiteral("deploy:") + r.regions.at(static_cast<std::size_t>(r.active)).region);
        CircuitBreaker& globalBreaker = *breakers_.at(QStringLiteral("deploy:global"));
        if (result.ok) {
            regionalBreaker.onSuccess(regionalPermit);
            globalBreaker.onSuccess(globalPermit);
        } else {
            regionalBreaker.onFailure(regionalPermit);
            globalBreaker.onFailure(globalPermit);
        }
        if (epoch != r.epoch) {
            return;  // the rollout was halted while the action ran
        }
        if (!result.ok) {
            r.actionsRunning = false;
            fail(r, result.error);
            return;
        }
        r.regions.at(static_cast<std::size_t>(r.active)).note = toString(action) + QStringLiteral(" done");
        actions.erase(actions.begin());
        runActions(r, std::move(actions), std::move(then));
    });
}

void DeploymentOrchestrator::enterStage(Rollout& r, int stage) {
    cancelTimers(r);
    std::vector<DeploymentAction> actions;
    if (stage == 0) {
        actions = {DeploymentAction::ApplyConfig, DeploymentAction::RollPods};
    }
    actions.push_back(DeploymentAction::ShiftTraffic);
    runActions(r, std::move(actions), [this, &r, stage] { stageRunning(r, stage); });
}

void DeploymentOrchestrator::stageRunning(Rollout& r, int stage) {
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const RolloutStageConfig& config = config_.stages.at(static_cast<std::size_t>(stage));
    region.stageIndex = stage;
    region.stage = config.name;
    region.weight = config.weightPercent;
    region.baking = false;
    region.stageStartedAt = clock_.now();
    region.planned = std::chrono::seconds(config.durationS);
    region.marginalAlerted = false;
    emitStage(r, r.active);
    const std::uint64_t epoch = r.epoch;
    r.stageTimer = clock_.scheduleAfter(region.planned, [this, &r, epoch] {
        r.stageTimer = 0;
        if (epoch == r.epoch) {
            stageTimeUp(r);
        }
    });
    if (config.durationS > 0) {
        const auto slowAfter = Duration(
            static_cast<std::int64_t>(static_cast<double>(region.planned.count()) * config_.slowStageFactor));
        r.slowTimer = clock_.scheduleAfter(slowAfter, [this, &r, epoch, name = config.name] {
            r.slowTimer = 0;
            if (epoch == r.epoch && listener_.alert) {
                listener_.alert(
                    Severity::High, QStringLiteral("stage_slow"), r.signal.id,
                    QStringLiteral("%1 slow to progress in %2 (%3)")
                        .arg(name, r.regions.at(static_cast<std::size_t>(r.active)).region, r.signal.id));
            }
        });
    }
    r.healthTimer = clock_.scheduleAfter(std::chrono::seconds(config_.healthIntervalS), [this, &r, epoch] {
        r.healthTimer = 0;
        if (epoch == r.epoch) {
            sampleHealth(r);
        }
    });
}

void DeploymentOrchestrator::stageTimeUp(Rollout& r) {
    if (r.status == RolloutStatus::Paused || r.active < 0 || r.actionsRunning) {
        return;  // resume picks it up
    }
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const int last = static_cast<int>(config_.stages.size()) - 1;
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
        runActions(r, {DeploymentAction::ShiftTraffic}, [this, &r, next] { stageRunning(r, next); });
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
        const std::uint64_t epoch = r.epoch;
        r.stageTimer = clock_.scheduleAfter(std::chrono::seconds(config_.bakeTimeS), [this, &r, epoch] {
            r.stageTimer = 0;
            if (epoch == r.epoch) {
                stageTimeUp(r);
            }
        });
        return;
    }
    finishRegion(r);
}

void DeploymentOrchestrator::finishRegion(Rollout& r) {
    cancelTimers(r);
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    region.stage = QStringLiteral("done");
    region.baking = false;
    region.stageIndex = -1;
    region.note = QStringLiteral("healthy at 100 %");
    infra_.setStable(r.signal.service, region.region, r.signal.version);
    emitStage(r, r.active);
    r.queue.done();
    r.active = -1;
    startNextRegion(r);
}

void DeploymentOrchestrator::sampleHealth(Rollout& r) {
    if (r.active < 0 || r.status == RolloutStatus::Completed) {
        return;
    }
    RegionState& region = r.regions.at(static_cast<std::size_t>(r.active));
    const HealthSample h = infra_.health(r.signal.service, r.signal.version, region.region,
                                         std::max(1, region.weight), ++r.samples, clock_.now());
    region.health.push_back(HealthPoint{clock_.now(), h.errorRate, h.p99Ms});
    while (region.health.size() > kRolloutHealthPoints) {
        region.health.pop_front();
    }
    const std::uint64_t epoch = r.epoch;
    const auto scheduleNext = [this, &r, epoch] {
        r.healthTimer =
            clock_.scheduleAfter(std::chrono::seconds(config_.healthIntervalS), [this, &r, epoch] {
                r.healthTimer = 0;
                if (epoch == r.epoch) {
                    sampleHealth(r);
                }
            });
    };
    const bool failing = h.errorRate > config_.maxErrorRate || h.p99Ms > config_.maxP99Ms;
    if (failing) {
        const QString reason =
            h.errorRate > config_.maxErrorRate
                ? QStringLiteral("error rate %1 > %2")
                      .arg(percent(h.errorRate), percent(config_.maxErrorRate))
                : QStringLiteral("p99 %1 ms > %2 ms").arg(h.p99Ms, 0, 'f', 0).arg(config_.maxP99Ms);
        if (++region.failedSamples >= config_.failureLimit) {
            rollBack(r, r.active, reason, RolloutStatus::RolledBack, true);
            return;
        }
        region.note = QStringLiteral("failed sample %1/%2: %3")
                          .arg(region.failedSamples)
                          .arg(config_.failureLimit)
                          .arg(reason);
    } else if ((h.errorRate > config_.marginalErrorRate || h.p99Ms > config_.marginalP99Ms) &&
               !region.marginalAlerted) {
        region.marginalAlerted = true;
        if (listener_.alert) {
            listener_.alert(Severity::High, QStringLiteral("health_marginal"), r.signal.id,
                            QStringLiteral("health marginal in %1: error rate %2, p99 %3 ms")
                                .arg(region.region, percent(h.errorRate))
                                .arg(h.p99Ms, 0, 'f', 0));
        }
    }
    if (listener_.changed) {
        listener_.changed();
    }
    scheduleNext();
}

void DeploymentOrchestrator::rollBack(Rollout& r, int index, const QString& reason, RolloutStatus halt,
                                      bool automatic) {
    RegionState& region = r.regions.at(static_cast<std::size_t>(index));
    const bool isActive = index == r.active;
    if (isActive) {
        cancelTimers(r);
        ++r.epoch;  // any action still running finishes into nothing
        r.actionsRunning = false;
        r.detectedAt = clock_.now();
        r.status = halt;
        cancelPending(r);
    }
    if (automatic && listener_.alert) {
        listener_.alert(Severity::Critical, QStringLiteral("rollback_triggered"), r.signal.id,
                        QStringLiteral("rollback of %1 in %2: %3").arg(r.signal.id, region.region, reason));
    }
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
        infra_.setStable(r.signal.service, region.region, region.previousVersion);
    }
    r.mttrS = toSeconds(clock_.now() - detected);
    emitStage(r, index);
    if (isActive) {
        r.queue.done();
        r.active = -1;
    }
}

void DeploymentOrchestrator::cancelPending(Rollout& r) {
    while (auto pending = r.queue.tryPullIgnoringWip()) {
        RegionState& region = r.regions.at(static_cast<std::size_t>(*pending));
        region.stage = QStringLiteral("cancelled");
        region.note = QStringLiteral("cancelled: rollout halted");
        emitStage(r, *pending);
    }
}

void DeploymentOrchestrator::fail(Rollout& r, const QString& reason) {
    if (listener_.alert) {
        listener_.alert(Severity::Critical, QStringLiteral("deployment_failed"), r.signal.id,
                        QStringLiteral("deployment %1 failed: %2").arg(r.signal.id, reason));
    }
    rollBack(r, r.active, reason, RolloutStatus::Failed, false);
}

void DeploymentOrchestrator::cancelTimers(Rollout& r) {
    for (TimerId* timer : {&r.stageTimer, &r.healthTimer, &r.slowTimer, &r.actionTimer}) {
        if (*timer != 0) {
            clock_.cancel(*timer);
            *timer = 0;
        }
    }
}

}  // namespace tai
