#pragma once

#include "deployments/deployment_orchestrator.h"
#include "deployments/deployment_trace.h"
#include "deployments/external_infra.h"
#include "deployments/infra_simulator.h"
#include "engine/reference_system.h"

#include <deque>
#include <map>
#include <memory>

namespace tai {

// Reference system 2 (DESIGN.md §5): the infrastructure driver (the simulator, with health from
// Prometheus and actions through a webhook when the policy names them), the
// rollout orchestrator with its breakers, rollout persistence and recovery after a restart, and
// a trace per deployment.
class DeploymentsSystem final : public ReferenceSystem {
public:
    DeploymentsSystem();
    ~DeploymentsSystem() override;

    QString name() const override { return QStringLiteral("deployments"); }
    bool start(SystemContext& context, QString* error) override;
    void stop() override;
    std::optional<CommandResult> apply(const EngineCommand& command) override;
    std::vector<OwnedBreaker> breakers() override;
    void andonInputs(AndonInputs&) override {}  // its alerts are events, raised as they happen
    void contribute(EngineSnapshot& snapshot) const override;

    // Rollouts that were in flight when the engine last stopped come back interrupted (§7).
    // Returns how many.
    int restoreRollouts();

private:
    CommandResult requestDeployment(const RequestDeployment& command);
    CommandResult controlRollout(const ControlRollout& command);
    CommandResult undoDeployment(const UndoDeployment& command);
    // An accepted or rejected request (a deployment's, an undo's): persisted, and a rejected one kept
    // so that its id answers.
    CommandResult recordDecision(const DeploymentDecision& decision);
    CommandResult setInfraFault(const SetInfraFault& command);
    void persist(const QString& deployment);
    void report(const RolloutReportEvent& event);
    void traceAction(const DeploymentActionRecord& action);

    SystemContext* context_ = nullptr;
    std::unique_ptr<InfraSimulator> infra_;
    std::unique_ptr<ExternalInfra> external_;  // over infra_, when the policy names a real system
    std::unique_ptr<DeploymentOrchestrator> orchestrator_;
    std::uint64_t rollbacks_ = 0;
    std::deque<RejectedDeployment> rejected_;                           // the newest kRejectedKept
    std::map<QString, TimePoint> lastEvent_;                            // per deployment, for its duration
    std::map<QString, std::shared_ptr<const DeploymentTrace>> traces_;  // the newest version, per deployment
};

}  // namespace tai
