#include "engine/command_parser.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace tai {

namespace {

enum class Type { Number, Integer, Bool, String, Strings };

struct Param {
    const char* key;
    Type type;
    double min = 0;
    double max = 0;  // for numbers
    bool required = false;
};

using Table = std::vector<std::pair<QString, std::vector<Param>>>;

// The `do` actions of §9.4 and their parameters (operator commands are below).
const Table& actionTable() {
    static const Table table{
        {QStringLiteral("gateway.fault"),
         {{"error_rate", Type::Number, 0, 1},
          {"timeout_rate", Type::Number, 0, 1},
          {"latency_ms", Type::Integer, 0, 600'000},
          {"jitter_ms", Type::Integer, 0, 600'000},
          {"down", Type::Bool}}},
        {QStringLiteral("infra.fault"),
         {{"region", Type::String, 0, 0, true},
          {"version", Type::String},
          {"error_rate", Type::Number, 0, 1},
          {"p99_ms", Type::Integer, 0, 3'600'000},
          {"action_failure_rate", Type::Number, 0, 1},
          {"capacity", Type::Integer, 0, 1e9},
          {"for_s", Type::Number, 0.001, 86'400}}},
        {QStringLiteral("traffic"),
         {{"payments_per_s", Type::Integer, 0, 1e7},
          {"fraudster_share", Type::Number, 0, 1},
          {"customers", Type::Integer, 1, 1e9}}},
        {QStringLiteral("deploy"),
         {{"service", Type::String, 0, 0, true},
          {"version", Type::String, 0, 0, true},
          {"regions", Type::Strings},
          {"requested_by", Type::String},
          {"change_ticket", Type::String},
          {"id", Type::String},
          {"initial", Type::Bool}}},
    };
    return table;
}

// Operator commands (§5.5, §6, §11) and what each needs besides `command`.
const Table& operatorTable() {
    static const Table table{
        {QStringLiteral("force_open"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("force_half_open"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("force_closed"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("release"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("metrics_only"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("disable"), {{"breaker", Type::String, 0, 0, true}}},
        {QStringLiteral("ack_alert"), {{"alert", Type::String, 0, 0, true}}},
        {QStringLiteral("silence_alert"),
         {{"alert", Type::String, 0, 0, true}, {"duration_s", Type::Integer, 0, 604'800, true}}},
        {QStringLiteral("pause"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("resume"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("promote"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("promote_full"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("abort"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("rollback"),
         {{"deployment", Type::String, 0, 0, true}, {"region", Type::String, 0, 0, true}}},
        {QStringLiteral("retry"), {{"deployment", Type::String, 0, 0, true}}},
        {QStringLiteral("undo"),
         {{"service", Type::String, 0, 0, true}, {"to_revision", Type::Integer, 1, 1e9}}},
        // The injectors' own controls, so that a recorded session can say everything it did.
        {QStringLiteral("start_burst"),
         {{"payments_per_s", Type::Integer, 1, 1e7, true},
          {"seconds", Type::Integer, 1, 3600, true},
          {"fraudster_share", Type::Number, 0, 1},
          {"customers", Type::Integer, 1, 1e9}}},
        {QStringLiteral("clear_infra_fault"), {{"region", Type::String}}},
    };
    return table;
}

const std::vector<Param>* find(const Table& table, const QString& name) {
    for (const auto& [n, params] : table) {
        if (n == name) {
            return &params;
        }
    }
    return nullptr;
}

QStringList names(const Table& table) {
    QStringList out;
    for (const auto& [name, params] : table) {
        out << name;
    }
    return out;
}

class Checker {
public:
    std::vector<CommandError> errors;

    void params(const QJsonObject& object, const std::vector<Param>& params, const QStringList& extra) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            const auto p = std::find_if(params.begin(), params.end(), [&key](const Param& param) {
                return key == QLatin1String(param.key);
            });
            if (p == params.end()) {
                if (!extra.contains(key)) {
                    QStringList allowed = extra;
                    for (const Param& param : params) {
                        allowed << QString::fromLatin1(param.key);
                    }
                    errors.push_back({key,
                                      QStringLiteral("unknown key '%1' (expected %2)")
                                          .arg(key, allowed.join(QStringLiteral(", "))),
                                      true});
                }
                continue;
            }
            check(it.value(), key, *p);
        }
        for (const Param& p : params) {
            if (p.required && !object.contains(QLatin1String(p.key))) {
                errors.push_back({{},
                                  QStringLiteral("missing '%1'").arg(QLatin1String(p.key)),
                                  false,
                                  QString::fromLatin1(p.key)});
            }
        }
    }

    void check(const QJsonValue& v, const QString& at, const Param& p) {
        switch (p.type) {
            case Type::Bool:
                if (!v.isBool()) {
                    errors.push_back({at, QStringLiteral("must be true or false")});
                }
                return;
            case Type::String:
                if (!v.isString() || v.toString().isEmpty()) {
                    errors.push_back({at, QStringLiteral("must be a non-empty string")});
                }
                return;
            case Type::Strings: {
                const QJsonArray list = v.toArray();
                const bool ok = v.isArray() && std::all_of(list.begin(), list.end(), [](const QJsonValue& e) {
                                    return e.isString() && !e.toString().isEmpty();
                                });
                if (!ok) {
                    errors.push_back({at, QStringLiteral("must be a list of non-empty strings")});
                }
                return;
            }
            case Type::Number:
            case Type::Integer: {
                const double d = v.toDouble();
                if (!v.isDouble() || !std::isfinite(d) || d < p.min || d > p.max ||
                    (p.type == Type::Integer && d != std::floor(d))) {
                    errors.push_back({at, QStringLiteral("must be %1 from %2 to %3")
                                              .arg(p.type == Type::Integer ? QStringLiteral("a whole number")
                                                                           : QStringLiteral("a number"))
                                              .arg(p.min)
                                              .arg(p.max)});
                }
                return;
            }
        }
    }
};

QString str(const QJsonObject& o, const char* key, const QString& fallback = {}) {
    return o.value(QLatin1String(key)).toString(fallback);
}
int integer(const QJsonObject& o, const char* key, int fallback) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? static_cast<int>(v.toDouble()) : fallback;
}
double number(const QJsonObject& o, const char* key, double fallback) {
    return o.value(QLatin1String(key)).toDouble(fallback);
}
std::optional<double> optionalNumber(const QJsonObject& o, const char* key) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

const std::pair<const char*, BreakerControl> kBreakerCommands[] = {
    {"force_open", BreakerControl::ForceOpen},     {"force_half_open", BreakerControl::ForceHalfOpen},
    {"force_closed", BreakerControl::ForceClosed}, {"release", BreakerControl::Release},
    {"metrics_only", BreakerControl::MetricsOnly}, {"disable", BreakerControl::Disable},
};

EngineCommand operatorCommand(const QString& command, const QJsonObject& p, const CommandOrigin& origin) {
    for (const auto& [name, control] : kBreakerCommands) {
        if (command == QLatin1String(name)) {
            return ControlBreaker{str(p, "breaker"), control, origin};
        }
    }
    if (command == u"ack_alert") {
        return ControlAlert{str(p, "alert"), ControlAlert::Action::Acknowledge, 0, origin};
    }
    if (command == u"silence_alert") {
        return ControlAlert{str(p, "alert"), ControlAlert::Action::Silence, integer(p, "duration_s", 0),
                            origin};
    }
    if (command == u"start_burst") {
        return StartBurst{integer(p, "payments_per_s", 100), integer(p, "seconds", 10),
                          number(p, "fraudster_share", 0.01), integer(p, "customers", 500), origin};
    }
    if (command == u"clear_infra_fault") {
        SetInfraFault clear;
        clear.fault.region = str(p, "region");
        clear.clear = true;
        clear.origin = origin;
        return clear;
    }
    if (command == u"undo") {
        return UndoDeployment{str(p, "service"), integer(p, "to_revision", 0), origin};
    }
    // Only rollout controls are left in the table.
    return ControlRollout{str(p, "deployment"),
                          rolloutControlFromString(command).value_or(RolloutControl::Pause), str(p, "region"),
                          origin};
}

EngineCommand actionCommand(const QString& action, const QJsonObject& p, const CommandOrigin& origin) {
    if (action == u"gateway.fault") {
        GatewayFault fault;
        fault.errorRate = number(p, "error_rate", 0);
        fault.timeoutRate = number(p, "timeout_rate", 0);
        fault.latencyMs = integer(p, "latency_ms", 0);
        fault.jitterMs = integer(p, "jitter_ms", 0);
        fault.down = p.value(QStringLiteral("down")).toBool(false);
        return SetGatewayFault{fault, origin};
    }
    if (action == u"infra.fault") {
        SetInfraFault command;
        command.fault.region = str(p, "region");
        command.fault.version = str(p, "version");
        command.fault.errorRate = optionalNumber(p, "error_rate");
        command.fault.actionFailureRate = optionalNumber(p, "action_failure_rate");
        if (const auto p99 = optionalNumber(p, "p99_ms")) {
            command.fault.p99Ms = static_cast<int>(*p99);
        }
        if (const auto capacity = optionalNumber(p, "capacity")) {
            command.fault.capacity = static_cast<int>(*capacity);
        }
        if (const auto forS = optionalNumber(p, "for_s")) {
            command.forSeconds = std::max(1, static_cast<int>(std::lround(*forS)));
        }
        command.origin = origin;
        return command;
    }
    if (action == u"traffic") {
        return SetLoad{integer(p, "payments_per_s", 0), number(p, "fraudster_share", 0.01),
                       integer(p, "customers", 500), origin};
    }
    // deploy: the §5.1 fields, checked by the deployment system's own parser.
    QJsonObject body = p;
    for (const char* key : {"do", "actor", "reason"}) {
        body.remove(QLatin1String(key));
    }
    return RequestDeployment{body, origin};
}

}  // namespace

QStringList commandActions() {
    QStringList out = names(actionTable());
    out << QStringLiteral("operator");
    return out;
}

QStringList operatorCommands() {
    return names(operatorTable());
}

CommandParse parseCommand(const QJsonObject& object, const CommandParseOptions& options) {
    Checker c;
    const QJsonValue action = object.value(QStringLiteral("do"));
    if (!action.isString()) {
        c.errors.push_back({action.isUndefined() ? QString() : QStringLiteral("do"),
                            action.isUndefined() ? QStringLiteral("missing 'do'")
                                                 : QStringLiteral("must be the name of an action")});
        return c.errors;
    }
    const QString name = action.toString();
    QStringList extra = options.extraKeys;
    extra << QStringLiteral("do");
    QString command;
    const std::vector<Param>* params = nullptr;
    std::vector<Param> withDuration;
    if (name == u"operator") {
        command = object.value(QStringLiteral("command")).toString();
        params = find(operatorTable(), command);
        if (params == nullptr) {
            c.errors.push_back(
                {object.contains(QStringLiteral("command")) ? QStringLiteral("command") : QString(),
                 QStringLiteral("operator needs a command: one of %1")
                     .arg(operatorCommands().join(QStringLiteral(", ")))});
            return c.errors;
        }
        extra << QStringLiteral("command");
    } else {
        params = find(actionTable(), name);
        if (params == nullptr) {
            c.errors.push_back(
                {QStringLiteral("do"), QStringLiteral("unknown action '%1' (expected one of %2)")
                                           .arg(name, commandActions().join(QStringLiteral(", ")))});
            return c.errors;
        }
        if (options.allowForS && (name == u"gateway.fault" || name == u"traffic")) {
            withDuration = *params;
            withDuration.push_back({"for_s", Type::Number, 0.001, 86'400});
            params = &withDuration;
        }
    }
    extra << QStringLiteral("actor") << QStringLiteral("reason");
    c.params(object, *params, extra);
    if (object.contains(QStringLiteral("actor"))) {
        c.check(object.value(QStringLiteral("actor")), QStringLiteral("actor"), {"actor", Type::String});
    }
    if (object.contains(QStringLiteral("reason")) && !object.value(QStringLiteral("reason")).isString()) {
        c.errors.push_back({QStringLiteral("reason"), QStringLiteral("must be a string")});
    }
    if (!c.errors.empty()) {
        return c.errors;
    }
    const CommandOrigin origin{str(object, "actor", options.defaultActor), str(object, "reason")};
    ParsedCommand parsed{
        command.isEmpty() ? actionCommand(name, object, origin) : operatorCommand(command, object, origin),
        std::nullopt};
    if (!withDuration.empty()) {
        parsed.forS = optionalNumber(object, "for_s");
    }
    return parsed;
}

}  // namespace tai
