#pragma once

#include "andon/andon_types.h"
#include "base/refusal.h"
#include "deployments/deployment_signal.h"
#include "deployments/infra_driver.h"
#include "deployments/revision_history.h"
#include "deployments/rollout_types.h"
#include "deployments/safety_policy.h"
#include "jidoka/circuit_breaker.h"
#include "kanban/kanban_queue.h"

#include <functional>
#include <map>
#include <memory>

namespace tai {

struct DeploymentDecision {
    bool accepted = false;
    QString id;
    std::vector<QString> reasons;  // every failing safety check
    std::optional<Refusal> error;  // an invalid request (a duplicate id)
    DeploymentSignal signal;       // what was decided on, regions and id filled in
};

// One deployment action as it ran, for the deployment's trace.
struct DeploymentActionRecord {
    QString deployment;
    QString service;
    QString version;
    QString region;
    QString stage;   // the stage the action serves: canary, staging, prod, or rolled_back
    QString action;  // apply_config, roll_pods, shift_traffic, rollback
    TimePoint started;
    TimePoint finished;
    bool ok = true;
    QString error;
};

// What the orchestrator tells the rest of the engine.
struct DeploymentListener {
    std::function<void(const RolloutReportEvent&)> report;
    // An event alert (§5.4) about `subject` (the deployment) and, when it is about one, a region.
    std::function<void(Severity, const QString& rule, const QString& subject, const QString& message,
                       const QString& region)>
        alert;
    std::function<void(const QString& subject, const QString& text)> timeline;
    std::function<void(const BreakerTransition&)> breakerTransition;
    std::function<void()> changed;  // something the console should redraw
    // Every deployment action that finished, and every rollback (§5.3: each action is traced).
    std::function<void(const DeploymentActionRecord&)> action;
};

// Deployment orchestration (DESIGN.md §5): the safety policy, the per-region and global breakers
// on the action path, and the rollouts, each a RolloutRun (regions one at a time through the
// stages, health, automatic rollback) taking the operator controls of §5.5. Runs on the engine
// thread and its clock.
class DeploymentOrchestrator {
public:
    DeploymentOrchestrator(const DeploymentsConfig& config, Clock& clock, InfraDriver& infra,
                           DeploymentListener listener);
    ~DeploymentOrchestrator();

    DeploymentDecision request(DeploymentSignal signal);
    // Argo's undo: a new rollout of the version an earlier revision of `service` ran, through the
    // stages and the safety policy like any request. `toRevision` 0 is the one before the current
    // (undoTarget() says which, and what is refused). `why` goes to the timeline.
    DeploymentDecision undo(const QString& service, int toRevision, const QString& requestedBy,
                            const QString& why);
    std::vector<RevisionView> revisions(const QString& service) const;
    // None when carried out; otherwise why not.
    std::optional<Refusal> control(const QString& deployment, RolloutControl control, const QString& region,
                                   const QString& why);

    // After a restart: brings back a rollout as it was saved. One that was in flight comes back
    // interrupted, with no timers running: the operator chooses resume (the active stage starts
    // over) or rollback. A finished one comes back as it ended, to be read, rolled back or retried.
    void restore(const RolloutView& view);
    // A saved rollout that is not brought back still holds its id: new ones never take it.
    void reserveId(const QString& id);

    std::vector<RolloutView> views() const;
    std::optional<RolloutView> view(const QString& deployment) const;
    std::vector<BreakerStatus> breakerStatuses() const;
    CircuitBreaker* breaker(const QString& name);

private:
    class RolloutRun* find(const QString& id);
    bool activeFor(const QString& service) const;

    DeploymentsConfig config_;
    Clock& clock_;
    InfraDriver& infra_;
    DeploymentListener listener_;
    SafetyPolicy safety_;
    std::map<QString, std::unique_ptr<CircuitBreaker>> breakers_;
    std::unique_ptr<struct RolloutContext> context_;
    std::vector<std::unique_ptr<class RolloutRun>> rollouts_;
    int nextId_ = 1;
};

}  // namespace tai
