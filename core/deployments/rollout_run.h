#pragma once

#include "deployments/deployment_orchestrator.h"
#include "deployments/health_probe.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>

namespace tai {

// What every rollout of one orchestrator shares: the policy, the clock, the infrastructure, the
// listener and the breakers on the action path. Owned by the orchestrator.
struct RolloutContext {
    const DeploymentsConfig& config;
    Clock& clock;
    InfraDriver& infra;
    DeploymentListener& listener;
    std::map<QString, std::unique_ptr<CircuitBreaker>>& breakers;
};

// One deployment's progress (DESIGN.md §5.3, §5.4): regions pulled one at a time from a Kanban
// queue with WIP 1, each through the configured stages with their actions, health sampled every
// health_interval, a bake at 100 %, and the automatic rollback that halts the rollout and cancels
// the pending regions. Engine thread; its timers run on the context's clock.
class RolloutRun {
public:
    RolloutRun(RolloutContext& context, DeploymentSignal signal);
    // After a restart: a rollout that was in flight, interrupted, with no timers running; a
    // finished one as it ended.
    static std::unique_ptr<RolloutRun> restored(RolloutContext& context, const RolloutView& view);
    ~RolloutRun();
    RolloutRun(const RolloutRun&) = delete;
    RolloutRun& operator=(const RolloutRun&) = delete;

    void start();  // the first region's first stage
    const QString& id() const { return state_.signal.id; }
    const QString& service() const { return state_.signal.service; }
    RolloutStatus status() const { return state_.status; }
    // In progress, paused or interrupted: the service has a rollout that is not finished.
    bool active() const;
    RolloutView view() const;

private:
    friend class RolloutControls;

    static constexpr std::size_t kHealthPoints = 90;

    struct RegionState {
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
        bool awaitingPromote = false;  // a pause step, or a gated stage whose time is up
    };

    struct Rollout {
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
        std::uint64_t action = 0;       // the infrastructure action running, if any
        std::uint64_t epoch = 0;        // bumped on halt/retry so stale action callbacks do nothing
        bool pausedByAnalysis = false;  // on_marginal: pause; a promote carries on
    };

    explicit RolloutRun(RolloutContext& context);

    void startNextRegion();
    void enterStage(int stage);
    void stageRunning(int stage);
    // The stage's time is up, or (`promoted`) an operator promoted: the next stage, the bake, or
    // the next region. A pause step and a gated stage move only when promoted.
    void stageTimeUp(bool promoted = false);
    void sampleHealth();
    // One measurement of the active region, as the analysis judges it (§5.4).
    void recordHealth(const HealthSample& sample);
    void finishRegion();
    void rollBack(int region, const QString& reason, RolloutStatus halt, bool automatic);
    void cancelPending();
    void fail(const QString& reason);
    // Runs `actions` in order for the stage with index `stage`, then `then`.
    void runActions(int stage, std::vector<DeploymentAction> actions, std::function<void()> then);
    // The stage's (or the bake's) end and the next health sample, for the rollout as it is at
    // `epoch`: a halt or a retry in between makes them do nothing.
    void scheduleStageEnd(Duration after, std::uint64_t epoch);
    void scheduleHealth(std::uint64_t epoch);
    void cancelTimers();
    void emitStage(int region);

    const DeploymentsConfig& config_;
    Clock& clock_;
    InfraDriver& infra_;
    DeploymentListener& listener_;
    std::map<QString, std::unique_ptr<CircuitBreaker>>& breakers_;
    HealthProbe probe_;
    Rollout state_;
};

}  // namespace tai
