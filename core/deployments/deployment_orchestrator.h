#pragma once

#include "andon/andon_types.h"
#include "deployments/deployment_signal.h"
#include "deployments/rollout_types.h"
#include "deployments/safety_policy.h"
#include "jidoka/circuit_breaker.h"
#include "kanban/kanban_queue.h"
#include "sim/infra_simulator.h"

#include <functional>
#include <map>
#include <memory>

namespace tai {

struct DeploymentDecision {
    bool accepted = false;
    QString id;
    std::vector<QString> reasons;  // every failing safety check
    QString error;                 // invalid request
};

// What the orchestrator tells the rest of the engine.
struct DeploymentListener {
    std::function<void(const RolloutReportEvent&)> report;
    std::function<void(Severity, const QString& rule, const QString& subject, const QString& message)> alert;
    std::function<void(const QString& subject, const QString& text)> timeline;
    std::function<void(const BreakerTransition&)> breakerTransition;
    std::function<void()> changed;  // something the console should redraw
};

// Deployment orchestration (DESIGN.md §5): the safety policy, then regions strictly one at a
// time through the configured stages (a Kanban queue with WIP 1), health sampled every
// health_interval, automatic rollback, the per-region and global breakers on the action path,
// and the operator controls of §5.5. Runs on the engine thread and its clock.
class DeploymentOrchestrator {
public:
    DeploymentOrchestrator(const DeploymentsConfig& config, Clock& clock, InfraSimulator& infra,
                           DeploymentListener listener);
    ~DeploymentOrchestrator();

    DeploymentDecision request(DeploymentSignal signal);
    // Empty on success, otherwise what was wrong (naming the field).
    QString control(const QString& deployment, RolloutControl control, const QString& region,
                    const QString& why);

    // After a restart: brings back a rollout that was in flight as interrupted, with no timers
    // running. The operator chooses resume (the active stage starts over) or rollback.
    void restoreInterrupted(const RolloutView& view);

    std::vector<RolloutView> views() const;
    std::optional<RolloutView> view(const QString& deployment) const;
    std::vector<BreakerStatus> breakerStatuses() const;
    CircuitBreaker* breaker(const QString& name);

private:
    struct Rollout;
    struct RegionState;

    void startNextRegion(Rollout& r);
    void enterStage(Rollout& r, int stage);
    void stageRunning(Rollout& r, int stage);
    void stageTimeUp(Rollout& r);
    void sampleHealth(Rollout& r);
    void finishRegion(Rollout& r);
    void rollBack(Rollout& r, int region, const QString& reason, RolloutStatus halt, bool automatic);
    void cancelPending(Rollout& r);
    void fail(Rollout& r, const QString& reason);
    void runActions(Rollout& r, std::vector<DeploymentAction> actions, std::function<void()> then);
    void cancelTimers(Rollout& r);
    void emitStage(Rollout& r, int region);
    Rollout* find(const QString& id);
    bool activeFor(const QString& service) const;
    RolloutView toView(const Rollout& r) const;

    DeploymentsConfig config_;
    Clock& clock_;
    InfraSimulator& infra_;
    DeploymentListener listener_;
    SafetyPolicy safety_;
    std::map<QString, std::unique_ptr<CircuitBreaker>> breakers_;
    std::vector<std::unique_ptr<Rollout>> rollouts_;
    int nextId_ = 1;
};

}  // namespace tai
