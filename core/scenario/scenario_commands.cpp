#include "scenario/scenario_commands.h"

#include "signal/payment_signal.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace tai {

namespace {

QString str(const QJsonObject& o, const char* key, const QString& fallback = {}) {
    return o.value(QLatin1String(key)).toString(fallback);
}

CommandOrigin originOf(const QJsonObject& p) {
    return CommandOrigin{str(p, "actor", QStringLiteral("scenario")), str(p, "reason")};
}

void putOrigin(QJsonObject& event, const CommandOrigin& origin) {
    event.insert(QStringLiteral("actor"), origin.actor);
    if (!origin.reason.isEmpty()) {
        event.insert(QStringLiteral("reason"), origin.reason);
    }
}

const std::pair<const char*, BreakerControl> kBreakerCommands[] = {
    {"force_open", BreakerControl::ForceOpen},
    {"force_half_open", BreakerControl::ForceHalfOpen},
    {"force_closed", BreakerControl::ForceClosed},
    {"release", BreakerControl::Release},
};

EngineCommand operatorCommand(const QJsonObject& p) {
    const QString command = str(p, "command");
    const CommandOrigin origin = originOf(p);
    for (const auto& [name, control] : kBreakerCommands) {
        if (command == QLatin1String(name)) {
            return ControlBreaker{str(p, "breaker"), control, origin};
        }
    }
    if (command == u"ack_alert") {
        return ControlAlert{str(p, "alert"), ControlAlert::Action::Acknowledge, 0, origin};
    }
    if (command == u"silence_alert") {
        return ControlAlert{str(p, "alert"), ControlAlert::Action::Silence,
                            p.value(QStringLiteral("duration_s")).toInt(), origin};
    }
    if (command == u"start_burst") {
        return StartBurst{p.value(QStringLiteral("payments_per_s")).toInt(),
                          p.value(QStringLiteral("seconds")).toInt(),
                          p.value(QStringLiteral("fraudster_share")).toDouble(0.01),
                          p.value(QStringLiteral("customers")).toInt(500), origin};
    }
    if (command == u"clear_infra_fault") {
        SetInfraFault clear;
        clear.fault.region = str(p, "region");
        clear.clear = true;
        clear.origin = origin;
        return clear;
    }
    // The file format only lets rollout controls through otherwise.
    return ControlRollout{str(p, "deployment"),
                          rolloutControlFromString(command).value_or(RolloutControl::Pause), str(p, "region"),
                          origin};
}

}  // namespace

ScenarioAction actionFor(const ScenarioEvent& event) {
    const QJsonObject& p = event.params;
    if (event.action == u"gateway.fault") {
        GatewayFault fault;
        fault.errorRate = p.value(QStringLiteral("error_rate")).toDouble();
        fault.timeoutRate = p.value(QStringLiteral("timeout_rate")).toDouble();
        fault.latencyMs = p.value(QStringLiteral("latency_ms")).toInt();
        fault.jitterMs = p.value(QStringLiteral("jitter_ms")).toInt();
        fault.down = p.value(QStringLiteral("down")).toBool();
        return SetGatewayFault{fault, originOf(p)};
    }
    if (event.action == u"infra.fault") {
        SetInfraFault command;
        command.fault.region = str(p, "region");
        command.fault.version = str(p, "version");
        const auto optionalDouble = [&p](const char* key) -> std::optional<double> {
            const QJsonValue v = p.value(QLatin1String(key));
            return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
        };
        command.fault.errorRate = optionalDouble("error_rate");
        command.fault.actionFailureRate = optionalDouble("action_failure_rate");
        if (const auto p99 = optionalDouble("p99_ms")) {
            command.fault.p99Ms = static_cast<int>(*p99);
        }
        if (const auto capacity = optionalDouble("capacity")) {
            command.fault.capacity = static_cast<int>(*capacity);
        }
        if (const auto forS = optionalDouble("for_s")) {
            command.forSeconds = std::max(1, static_cast<int>(std::lround(*forS)));
        }
        command.origin = originOf(p);
        return command;
    }
    if (event.action == u"traffic") {
        return SetLoad{p.value(QStringLiteral("payments_per_s")).toInt(),
                       p.value(QStringLiteral("fraudster_share")).toDouble(),
                       p.value(QStringLiteral("customers")).toInt(500), originOf(p)};
    }
    if (event.action == u"deploy") {
        QJsonObject body = p;
        body.remove(QStringLiteral("actor"));
        body.remove(QStringLiteral("reason"));
        return RequestDeployment{body, originOf(p)};
    }
    if (event.action == u"payment") {
        return QJsonDocument(p).toJson(QJsonDocument::Compact);
    }
    return operatorCommand(p);
}

QJsonObject eventFor(const EngineCommand& command) {
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

std::optional<QJsonObject> eventForPayment(const QByteArray& json) {
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject() || std::holds_alternative<SignalError>(parsePaymentJson(json))) {
        return std::nullopt;
    }
    const QJsonObject given = document.object();
    QJsonObject e{{QStringLiteral("do"), QStringLiteral("payment")}};
    for (const char* key :
         {"id", "idempotency_key", "customer_id", "merchant_id", "amount", "currency", "timestamp", "sim"}) {
        if (given.contains(QLatin1String(key))) {
            e.insert(QLatin1String(key), given.value(QLatin1String(key)));
        }
    }
    return e;
}

std::vector<ScenarioEvent> expandTimeline(const Scenario& scenario) {
    std::vector<ScenarioEvent> timeline = scenario.events;
    for (ScenarioEvent& event : timeline) {  // a traffic change keeps what it does not mention
        if (event.action == u"traffic") {
            const std::pair<const char*, QJsonValue> defaults[] = {
                {"payments_per_s", scenario.paymentsPerS},
                {"fraudster_share", scenario.fraudsterShare},
                {"customers", scenario.customers}};
            for (const auto& [key, value] : defaults) {
                if (!event.params.contains(QLatin1String(key))) {
                    event.params.insert(QLatin1String(key), value);
                }
            }
        }
    }
    for (const ScenarioEvent& event : scenario.events) {
        const QJsonValue forS = event.params.value(QStringLiteral("for_s"));
        if (!forS.isDouble() || (event.action != u"gateway.fault" && event.action != u"traffic")) {
            continue;  // infra faults expire inside the simulator
        }
        ScenarioEvent end;
        end.atS = event.atS + forS.toDouble();
        end.line = event.line;
        if (end.atS > scenario.durationS) {
            continue;
        }
        if (event.action == u"gateway.fault") {
            end.action = QStringLiteral("gateway.fault");  // all zero: healthy again
            end.params = {{QStringLiteral("reason"), QStringLiteral("fault ended (for_s)")}};
        } else {
            end.action = QStringLiteral("traffic");
            end.params = {{QStringLiteral("payments_per_s"), scenario.paymentsPerS},
                          {QStringLiteral("fraudster_share"), scenario.fraudsterShare},
                          {QStringLiteral("customers"), scenario.customers},
                          {QStringLiteral("reason"), QStringLiteral("back to the profile (for_s)")}};
        }
        timeline.push_back(end);
    }
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.atS < b.atS; });
    return timeline;
}

}  // namespace tai
