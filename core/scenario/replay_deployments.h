#pragma once

#include "deployments/deployment_orchestrator.h"
#include "deployments/infra_simulator.h"

#include <QByteArray>
#include <QJsonObject>

#include <memory>
#include <optional>
#include <vector>

namespace tai {

// The deployment lines of a replay (DESIGN.md §9.2, §9.3): {"type":"deployment", …§5.1 fields,
// "timestamp"?}. Each request goes to a DeploymentOrchestrator on the replay's VirtualClock, with
// the simulated infrastructure seeded like the rest of the run, so its rollout runs through its
// stages, health samples and rollbacks as the clock moves on. Its line in the output says what the
// safety policy decided and how the rollout ended.
class ReplayDeployments {
public:
    ReplayDeployments(const DeploymentsConfig& config, std::uint64_t seed, Clock& clock);
    ~ReplayDeployments();
    ReplayDeployments(const ReplayDeployments&) = delete;
    ReplayDeployments& operator=(const ReplayDeployments&) = delete;

    // Takes the line's object (its "type" already checked). Returns the index of its decision, or
    // an error naming the field when the line is not a valid deployment request.
    struct Taken {
        std::optional<std::size_t> decision;
        QString errorField;
        QString error;
    };
    Taken take(int line, QJsonObject object);

    // True while a rollout still moves on its own (in progress); a paused one waits for a human
    // the replay does not have.
    bool running() const;
    // {"line":N,"type":"deployment","id":…,"outcome":"accepted"|"rejected","reasons":[…],
    //  "status":"<how the rollout ended>","rollbacks":N} once the run is over.
    QByteArray decisionLine(std::size_t decision) const;
    // Rollout transitions and rollbacks, for the replay's digest.
    const std::vector<QByteArray>& events() const { return events_; }
    int rollbacks() const { return rollbacks_; }

private:
    struct Decision {
        int line = 0;
        QString id;
        bool accepted = false;
        QStringList reasons;
    };

    DeploymentsConfig config_;
    InfraSimulator infra_;
    std::unique_ptr<DeploymentOrchestrator> orchestrator_;
    std::vector<Decision> decisions_;
    std::vector<QByteArray> events_;
    int rollbacks_ = 0;
};

}  // namespace tai
