#include "engine/command_text.h"

#include <QStringList>

namespace tai {

namespace {
QString withReason(const CommandOrigin& origin) {
    return origin.reason.isEmpty() ? QString() : QStringLiteral(" (") + origin.reason + QLatin1Char(')');
}
QString byActor(const CommandOrigin& origin) {
    return QStringLiteral(" by ") + origin.actor +
           (origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + origin.reason);
}
}  // namespace

QString breakerControlReason(const ControlBreaker& c) {
    return toString(c.control) + byActor(c.origin);
}

QString commandName(const EngineCommand& command) {
    return std::visit(
        [](const auto& c) -> QString {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SetGatewayFault>) {
                return QStringLiteral("set_gateway_fault");
            } else if constexpr (std::is_same_v<T, ControlBreaker>) {
                return toString(c.control);
            } else if constexpr (std::is_same_v<T, SetLoad>) {
                return QStringLiteral("set_load");
            } else if constexpr (std::is_same_v<T, StartBurst>) {
                return QStringLiteral("start_burst");
            } else if constexpr (std::is_same_v<T, RequestDeployment>) {
                return QStringLiteral("deploy");
            } else if constexpr (std::is_same_v<T, ControlRollout>) {
                return toString(c.control);
            } else if constexpr (std::is_same_v<T, UndoDeployment>) {
                return QStringLiteral("undo");
            } else if constexpr (std::is_same_v<T, SetInfraFault>) {
                return c.clear ? QStringLiteral("clear_infra_fault") : QStringLiteral("set_infra_fault");
            } else {
                return c.action == ControlAlert::Action::Acknowledge ? QStringLiteral("acknowledge_alert")
                                                                     : QStringLiteral("silence_alert");
            }
        },
        command);
}

QString commandSubject(const EngineCommand& command) {
    return std::visit(
        [](const auto& c) -> QString {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SetGatewayFault>) {
                return QStringLiteral("payment-gateway");
            } else if constexpr (std::is_same_v<T, ControlBreaker>) {
                return c.breaker;
            } else if constexpr (std::is_same_v<T, SetLoad> || std::is_same_v<T, StartBurst>) {
                return QStringLiteral("load");
            } else if constexpr (std::is_same_v<T, RequestDeployment>) {
                const QString id = c.body.value(QStringLiteral("id")).toString();
                return id.isEmpty() ? QStringLiteral("deployments") : id;
            } else if constexpr (std::is_same_v<T, ControlRollout>) {
                return c.deployment;
            } else if constexpr (std::is_same_v<T, UndoDeployment>) {
                return c.service;
            } else if constexpr (std::is_same_v<T, SetInfraFault>) {
                return c.fault.region.isEmpty() ? QStringLiteral("infrastructure") : c.fault.region;
            } else {
                return c.key;
            }
        },
        command);
}

QString describe(const EngineCommand& command) {
    return std::visit(
        [](const auto& c) -> QString {
            using T = std::decay_t<decltype(c)>;
            const CommandOrigin& o = c.origin;
            if constexpr (std::is_same_v<T, SetGatewayFault>) {
                return o.actor + QStringLiteral(" set gateway fault: ") + c.fault.describe() + withReason(o);
            } else if constexpr (std::is_same_v<T, ControlBreaker>) {
                return breakerControlReason(c);
            } else if constexpr (std::is_same_v<T, SetLoad>) {
                return o.actor + QStringLiteral(" set generated load to %1/s").arg(c.paymentsPerSecond);
            } else if constexpr (std::is_same_v<T, StartBurst>) {
                return o.actor + QStringLiteral(" started a burst of %1/s for %2 s (fraudsters %3%)")
                                     .arg(c.paymentsPerSecond)
                                     .arg(c.seconds)
                                     .arg(c.fraudsterShare * 100, 0, 'g', 3);
            } else if constexpr (std::is_same_v<T, RequestDeployment>) {
                return o.actor +
                       QStringLiteral(" requested a deployment of %1 %2")
                           .arg(c.body.value(QStringLiteral("service")).toString(),
                                c.body.value(QStringLiteral("version")).toString()) +
                       withReason(o);
            } else if constexpr (std::is_same_v<T, ControlRollout>) {
                return o.actor + QStringLiteral(" ") + toString(c.control) +
                       (c.region.isEmpty() ? QString() : QStringLiteral(" ") + c.region) + withReason(o);
            } else if constexpr (std::is_same_v<T, UndoDeployment>) {
                return o.actor + QStringLiteral(" undo of %1 to ").arg(c.service) +
                       (c.toRevision > 0 ? QStringLiteral("revision %1").arg(c.toRevision)
                                         : QStringLiteral("the previous revision")) +
                       withReason(o);
            } else if constexpr (std::is_same_v<T, SetInfraFault>) {
                if (c.clear) {
                    return o.actor + QStringLiteral(" cleared infrastructure faults") + withReason(o);
                }
                const InfraFault& f = c.fault;
                QStringList parts;
                if (f.errorRate)
                    parts << QStringLiteral("error rate %1%").arg(*f.errorRate * 100);
                if (f.p99Ms)
                    parts << QStringLiteral("p99 %1 ms").arg(*f.p99Ms);
                if (f.actionFailureRate)
                    parts << QStringLiteral("action failures %1%").arg(*f.actionFailureRate * 100);
                if (f.capacity)
                    parts << QStringLiteral("capacity %1").arg(*f.capacity);
                return o.actor + QStringLiteral(" set infrastructure fault") +
                       (f.version.isEmpty() ? QString() : QStringLiteral(" on ") + f.version) +
                       QStringLiteral(": ") + parts.join(QStringLiteral(", ")) +
                       (c.forSeconds ? QStringLiteral(" for %1 s").arg(*c.forSeconds) : QString()) +
                       withReason(o);
            } else {
                const bool ack = c.action == ControlAlert::Action::Acknowledge;
                const QString what = ack ? QStringLiteral("acknowledged")
                                     : c.durationS == 0
                                         ? QStringLiteral("silence lifted")
                                         : QStringLiteral("silenced for %1 s").arg(c.durationS);
                return c.key + QLatin1Char(' ') + what + byActor(o);
            }
        },
        command);
}

}  // namespace tai
