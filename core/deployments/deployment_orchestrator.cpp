#include "deployments/deployment_orchestrator.h"

#include <deque>

namespace tai {

using namespace std::chrono_literals;

namespace {
constexpr std::size_t kHealthPoints = 90;
QString percent(double v) {
    return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
}
}  // namespace

struct DeploymentOrchestrator::RegionState {
    QString region;
    QString stage = QStringLiteral("pending");
    int stageIndex = -1;
    int weight = 0;
    bool baking = false;
    TimePoint stageStartedAt;
    Duration planned{0};
    std::deque<HealthPoint> health;
    int failedSamples = 0;
    bool marginalAlerted = false;
    QString previousVersion;
    QString note;
};

struct DeploymentOrchestrator::Rollout {
    DeploymentSignal signal;
    RolloutStatus status = RolloutStatus::InProgress;
    TimePoint createdAt;
    std::vector<RegionState> regions;
    KanbanQueue<int> queue{64, 1};  // regions in order; WIP 1: never two at once
    int active = -1;
    bool actionsRunning = false;
    std::uint64_t samples = 0;
    std::optional<TimePoint> detectedAt;
    double mttrS = -1;
    TimerId stageTimer = 0;
    TimerId healthTimer = 0;
    TimerId slowTimer = 0;
    TimerId actionTimer = 0;
    std::uint64_t epoch = 0;  // bumped on halt/retry so stale action callbacks do nothing
};

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
    while (region.health.size() > kHealthPoints) {
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

void DeploymentOrchestrator::restoreInterrupted(const RolloutView& v) {
    auto rollout = std::make_unique<Rollout>();
    rollout->signal.id = v.id;
    rollout->signal.service = v.service;
    rollout->signal.version = v.version;
    rollout->signal.requestedBy = v.requestedBy;
    rollout->status = RolloutStatus::Interrupted;
    rollout->createdAt = v.createdAt;
    rollout->mttrS = v.mttrS;
    for (int i = 0; i < static_cast<int>(v.regions.size()); ++i) {
        const RegionView& saved = v.regions.at(static_cast<std::size_t>(i));
        rollout->signal.regions << saved.region;
        RegionState region;
        region.region = saved.region;
        region.stage = saved.stage;
        region.stageIndex = saved.stageIndex;
        region.weight = saved.weight;
        // The simulator restarts fresh: what the region ran before this rollout is its stable
        // version now, and a region the rollout completed is put back on the new version.
        region.previousVersion = infra_.stableVersion(v.service, saved.region).value_or(QString());
        if (saved.stage == u"done") {
            infra_.setStable(v.service, saved.region, v.version);
        }
        region.note = QStringLiteral("interrupted by a restart: resume or roll back");
        rollout->regions.push_back(region);
        if (saved.stageIndex >= 0) {
            rollout->active = i;
        }
    }
    if (rollout->active >= 0) {
        int active = rollout->active;
        rollout->queue.tryPush(std::move(active));
        rollout->queue.tryPull();  // in progress: WIP 1 stays taken
    }
    for (int i = 0; i < static_cast<int>(rollout->regions.size()); ++i) {
        if (rollout->regions.at(static_cast<std::size_t>(i)).stage == u"pending") {
            int index = i;
            rollout->queue.tryPush(std::move(index));
        }
    }
    bool numbered = false;
    const int number = v.id.startsWith(QStringLiteral("d-")) ? v.id.mid(2).toInt(&numbered) : 0;
    if (numbered) {
        nextId_ = std::max(nextId_, number + 1);
    }
    rollouts_.push_back(std::move(rollout));
}

RolloutView DeploymentOrchestrator::toView(const Rollout& r) const {
    RolloutView v;
    v.id = r.signal.id;
    v.service = r.signal.service;
    v.version = r.signal.version;
    v.requestedBy = r.signal.requestedBy;
    v.status = r.status;
    v.createdAt = r.createdAt;
    v.activeRegion = r.active;
    v.mttrS = r.mttrS;
    for (const RolloutStageConfig& s : config_.stages) {
        v.stageNames << s.name;
        v.stageWeights << s.weightPercent;
    }
    v.maxErrorRate = config_.maxErrorRate;
    v.maxP99Ms = config_.maxP99Ms;
    v.marginalErrorRate = config_.marginalErrorRate;
    v.marginalP99Ms = config_.marginalP99Ms;
    for (const RegionState& s : r.regions) {
        RegionView region;
        region.region = s.region;
        region.stage = s.stage;
        region.stageIndex = s.stageIndex;
        region.weight = s.weight;
        region.baking = s.baking;
        region.note = s.note;
        if (s.stageIndex >= 0) {
            region.elapsedS = toSeconds(clock_.now() - s.stageStartedAt);
            region.plannedS = toSeconds(s.planned) + (s.baking ? config_.bakeTimeS : 0);
        }
        region.health.assign(s.health.begin(), s.health.end());
        v.regions.push_back(std::move(region));
    }
    return v;
}

std::vector<RolloutView> DeploymentOrchestrator::views() const {
    std::vector<RolloutView> out;
    for (const auto& r : rollouts_) {
        out.push_back(toView(*r));
    }
    return out;
}

std::optional<RolloutView> DeploymentOrchestrator::view(const QString& deployment) const {
    for (const auto& r : rollouts_) {
        if (r->signal.id == deployment) {
            return toView(*r);
        }
    }
    return std::nullopt;
}

}  // namespace tai
