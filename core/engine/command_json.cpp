#include "engine/command_parser.h"

namespace tai {

namespace {
void putOrigin(QJsonObject& event, const CommandOrigin& origin) {
    event.insert(QStringLiteral("actor"), origin.actor);
    if (!origin.reason.isEmpty()) {
        event.insert(QStringLiteral("reason"), origin.reason);
    }
}
}  // namespace

QJsonObject commandJson(const EngineCommand& command) {
    QJsonObject e;
    std::visit(
        [&e](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SetGatewayFault>) {
                e = {{QStringLiteral("do"), QStringLiteral("gateway.fault")},
                     {QStringLiteral("error_rate"), c.fault.errorRate},
                     {QStringLiteral("timeout_rate"), c.fault.timeoutRate},
                     {QStringLiteral("latency_ms"), c.fault.latencyMs},
                     {QStringLiteral("jitter_ms"), c.fault.jitterMs},
                     {QStringLiteral("down"), c.fault.down}};
            } else if constexpr (std::is_same_v<T, ControlBreaker>) {
                e = {{QStringLiteral("do"), QStringLiteral("operator")},
                     {QStringLiteral("command"), toString(c.control)},
                     {QStringLiteral("breaker"), c.breaker}};
            } else if constexpr (std::is_same_v<T, SetLoad>) {
                e = {{QStringLiteral("do"), QStringLiteral("traffic")},
                     {QStringLiteral("payments_per_s"), c.paymentsPerSecond},
                     {QStringLiteral("fraudster_share"), c.fraudsterShare},
                     {QStringLiteral("customers"), c.customers}};
            } else if constexpr (std::is_same_v<T, StartBurst>) {
                e = {{QStringLiteral("do"), QStringLiteral("operator")},
                     {QStringLiteral("command"), QStringLiteral("start_burst")},
                     {QStringLiteral("payments_per_s"), c.paymentsPerSecond},
                     {QStringLiteral("seconds"), c.seconds},
                     {QStringLiteral("fraudster_share"), c.fraudsterShare},
                     {QStringLiteral("customers"), c.customers}};
            } else if constexpr (std::is_same_v<T, RequestDeployment>) {
                // The §5.1 fields only: anything else in a request is ignored by the engine, and
                // the scenario format (rightly) refuses keys it does not know.
                e = {{QStringLiteral("do"), QStringLiteral("deploy")}};
                for (const char* key :
                     {"service", "version", "regions", "requested_by", "change_ticket", "id", "initial"}) {
                    if (c.body.contains(QLatin1String(key))) {
                        e.insert(QLatin1String(key), c.body.value(QLatin1String(key)));
                    }
                }
            } else if constexpr (std::is_same_v<T, ControlRollout>) {
                e = {{QStringLiteral("do"), QStringLiteral("operator")},
                     {QStringLiteral("command"), toString(c.control)},
                     {QStringLiteral("deployment"), c.deployment}};
                if (!c.region.isEmpty()) {
                    e.insert(QStringLiteral("region"), c.region);
                }
            } else if constexpr (std::is_same_v<T, UndoDeployment>) {
                e = {{QStringLiteral("do"), QStringLiteral("operator")},
                     {QStringLiteral("command"), QStringLiteral("undo")},
                     {QStringLiteral("service"), c.service}};
                if (c.toRevision > 0) {
                    e.insert(QStringLiteral("to_revision"), c.toRevision);
                }
            } else if constexpr (std::is_same_v<T, SetInfraFault>) {
                if (c.clear) {
                    e = {{QStringLiteral("do"), QStringLiteral("operator")},
                         {QStringLiteral("command"), QStringLiteral("clear_infra_fault")}};
                    if (!c.fault.region.isEmpty()) {
                        e.insert(QStringLiteral("region"), c.fault.region);
                    }
                } else {
                    e = {{QStringLiteral("do"), QStringLiteral("infra.fault")},
                         {QStringLiteral("region"), c.fault.region}};
                    if (!c.fault.version.isEmpty())
                        e.insert(QStringLiteral("version"), c.fault.version);
                    if (c.fault.errorRate)
                        e.insert(QStringLiteral("error_rate"), *c.fault.errorRate);
                    if (c.fault.p99Ms)
                        e.insert(QStringLiteral("p99_ms"), *c.fault.p99Ms);
                    if (c.fault.actionFailureRate)
                        e.insert(QStringLiteral("action_failure_rate"), *c.fault.actionFailureRate);
                    if (c.fault.capacity)
                        e.insert(QStringLiteral("capacity"), *c.fault.capacity);
                    if (c.forSeconds)
                        e.insert(QStringLiteral("for_s"), *c.forSeconds);
                }
            } else if constexpr (std::is_same_v<T, ControlAlert>) {
                const bool ack = c.action == ControlAlert::Action::Acknowledge;
                e = {{QStringLiteral("do"), QStringLiteral("operator")},
                     {QStringLiteral("command"),
                      ack ? QStringLiteral("ack_alert") : QStringLiteral("silence_alert")},
                     {QStringLiteral("alert"), c.key}};
                if (!ack) {
                    e.insert(QStringLiteral("duration_s"), c.durationS);
                }
            }
            putOrigin(e, c.origin);
        },
        command);
    return e;
}

}  // namespace tai
