#pragma once

#include "base/refusal.h"
#include "deployments/infra_simulator.h"
#include "deployments/rollout_types.h"
#include "jidoka/breaker_types.h"
#include "payments/gateway_simulator.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>
#include <variant>
#include <vector>

namespace tai {

// The command language (DESIGN.md §3, §5.5, §6, §8, §11): every operator control is one of these
// values, posted to the engine thread, executed and audited there; its effect shows in the next
// snapshot. HTTP bodies, scenario events, saved sessions and the CLI's specs all become these
// values through one parser (command_parser.h). `actor` and `reason` go to the audit trail.
struct CommandOrigin {
    QString actor = QStringLiteral("operator");
    QString reason;
    bool operator==(const CommandOrigin&) const = default;
};

struct SetGatewayFault {
    GatewayFault fault;
    CommandOrigin origin;
    bool operator==(const SetGatewayFault&) const = default;
};

// MetricsOnly and Disable are Resilience4j's operator states: the breaker lets every call
// through, its rules counting in the shadow (metrics only) or not at all (disabled).
enum class BreakerControl { ForceOpen, ForceHalfOpen, ForceClosed, Release, MetricsOnly, Disable };
// force_open, force_half_open, force_closed, release, metrics_only, disable
QString toString(BreakerControl control);

struct ControlBreaker {
    QString breaker;
    BreakerControl control = BreakerControl::Release;
    CommandOrigin origin;
    bool operator==(const ControlBreaker&) const = default;
};

// Changes the generated demo/headless load.
struct SetLoad {
    int paymentsPerSecond = 0;
    double fraudsterShare = 0.01;
    int customers = 500;
    CommandOrigin origin;
    bool operator==(const SetLoad&) const = default;
};

// A burst on top of the running load: N payments/s for S seconds (the injector's generator).
struct StartBurst {
    int paymentsPerSecond = 100;
    int seconds = 10;
    double fraudsterShare = 0.01;
    int customers = 500;
    CommandOrigin origin;
    bool operator==(const StartBurst&) const = default;
};

// A deployment request (§5.1) as JSON, checked field by field by the deployment system.
struct RequestDeployment {
    QJsonObject body;
    CommandOrigin origin;
    bool operator==(const RequestDeployment&) const = default;
};

// An operator control of a rollout (§5.5). `region` is for rollback.
struct ControlRollout {
    QString deployment;
    RolloutControl control = RolloutControl::Pause;
    QString region;
    CommandOrigin origin;
    bool operator==(const ControlRollout&) const = default;
};

// Argo's undo (issue 15): a new rollout of `service` at the version of revision `toRevision` of
// its history; 0 is the revision before the current one.
struct UndoDeployment {
    QString service;
    int toRevision = 0;
    CommandOrigin origin;
    bool operator==(const UndoDeployment&) const = default;
};

// An infrastructure fault (§9.4 infra.fault); `forSeconds` makes it expire. `clear` removes every
// fault of the region (all regions when the region is empty).
struct SetInfraFault {
    InfraFault fault;
    std::optional<int> forSeconds;
    bool clear = false;
    CommandOrigin origin;
    bool operator==(const SetInfraFault&) const = default;
};

// Acknowledge an Andon alert (with a note: origin.reason), or silence it for a duration (0 lifts
// a silence). `key` is rule/subject as the board shows it, a rule (its first alert), or rule/* to
// silence a whole rule.
struct ControlAlert {
    enum class Action { Acknowledge, Silence };
    QString key;
    Action action = Action::Acknowledge;
    int durationS = 0;
    CommandOrigin origin;
    bool operator==(const ControlAlert&) const = default;
};

using EngineCommand = std::variant<SetGatewayFault, ControlBreaker, SetLoad, StartBurst, RequestDeployment,
                                   ControlRollout, UndoDeployment, SetInfraFault, ControlAlert>;

const CommandOrigin& originOf(const EngineCommand& command);

// What became of a command: applied, or refused with a code, the field at fault and a message.
struct CommandResult {
    std::optional<Refusal> refusal;  // none: applied
    QString id;                      // what the command created (a deployment id)
    std::vector<QString> reasons;    // why a deployment was rejected (every failing safety check)
    // Set by a system whose own events already record this command and its outcome (a deployment
    // request's "accepted"/"rejected" entry), so the journal writes no second row for it.
    bool auditedBySystem = false;

    bool ok() const { return !refusal.has_value(); }
    QString error() const { return refusal ? refusal->text() : QString(); }

    static CommandResult applied(QString id = {}) {
        return CommandResult{std::nullopt, std::move(id), {}, false};
    }
    static CommandResult refused(Refusal why) { return CommandResult{std::move(why), {}, {}, false}; }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::EngineCommand)
Q_DECLARE_METATYPE(tai::CommandResult)
