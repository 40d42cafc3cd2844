#pragma once

#include "deployments/rollout_types.h"
#include "jidoka/breaker_types.h"
#include "sim/gateway_simulator.h"
#include "sim/infra_simulator.h"

#include <QJsonObject>

#include <QMetaType>
#include <QString>

#include <variant>

namespace tai {

// Operator commands are values posted to the engine thread, executed and audited there; their
// effect shows in the next snapshot (DESIGN.md §3). `actor` and `reason` go to the audit trail.
struct CommandOrigin {
    QString actor = QStringLiteral("operator");
    QString reason;
};

struct SetGatewayFault {
    GatewayFault fault;
    CommandOrigin origin;
};

enum class BreakerControl { ForceOpen, ForceHalfOpen, ForceClosed, Release };
QString toString(BreakerControl control);  // force_open, force_half_open, force_closed, release

struct ControlBreaker {
    QString breaker;
    BreakerControl control = BreakerControl::Release;
    CommandOrigin origin;
};

// Changes the generated demo/headless load.
struct SetLoad {
    int paymentsPerSecond = 0;
    double fraudsterShare = 0.01;
    int customers = 500;
    CommandOrigin origin;
};

// A burst on top of the running load: N payments/s for S seconds (the injector's generator).
struct StartBurst {
    int paymentsPerSecond = 100;
    int seconds = 10;
    double fraudsterShare = 0.01;
    int customers = 500;
    CommandOrigin origin;
};

// A deployment request (§5.1) as JSON, validated on the engine thread.
struct RequestDeployment {
    QJsonObject body;
    CommandOrigin origin;
};

// An operator control of a rollout (§5.5). `region` is for rollback.
struct ControlRollout {
    QString deployment;
    RolloutControl control = RolloutControl::Pause;
    QString region;
    CommandOrigin origin;
};

// An infrastructure fault (§9.4 infra.fault); `forSeconds` makes it expire. `clear` removes every
// fault of the region (all regions when the region is empty).
struct SetInfraFault {
    InfraFault fault;
    std::optional<int> forSeconds;
    bool clear = false;
    CommandOrigin origin;
};

// Acknowledge an Andon alert (with a note: origin.reason), or silence it for a duration (0 lifts
// a silence). `key` is rule/subject as the board shows it, or rule/* to silence a whole rule.
struct ControlAlert {
    enum class Action { Acknowledge, Silence };
    QString key;
    Action action = Action::Acknowledge;
    int durationS = 0;
    CommandOrigin origin;
};

using EngineCommand = std::variant<SetGatewayFault, ControlBreaker, SetLoad, StartBurst, RequestDeployment,
                                   ControlRollout, SetInfraFault, ControlAlert>;

struct CommandResult {
    bool ok = true;
    QString error;                 // names what was wrong, e.g. "breaker: unknown breaker 'x'"
    QString id;                    // what the command created (a deployment id)
    std::vector<QString> reasons;  // why a deployment was rejected

    static CommandResult refused(QString why) { return {false, std::move(why), {}, {}}; }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::EngineCommand)
Q_DECLARE_METATYPE(tai::CommandResult)
