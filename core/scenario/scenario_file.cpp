#include "scenario/scenario_file.h"

#include "engine/command_parser.h"

#include "base/json_text.h"
#include "payments/payment_signal.h"
#include "scenario/json_positions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace tai {

QString ScenarioError::text() const {
    return QStringLiteral("line %1, column %2: ").arg(line).arg(column) +
           (path.isEmpty() ? QString() : path + QStringLiteral(": ")) + message;
}

namespace {

enum class Type { Number, Integer, Bool, String, Strings, Any };

struct Param {
    const char* key;
    Type type;
    double min = 0;
    double max = 0;  // for numbers
    bool required = false;
};

// A `payment` event: the §4.1 fields, whose values the payment parser itself checks. Every other
// event is a command, checked by the command language's own parser.
const std::vector<Param>& paymentParams() {
    static const std::vector<Param> params{{"customer_id", Type::Any, 0, 0, true},
                                           {"merchant_id", Type::Any, 0, 0, true},
                                           {"amount", Type::Any, 0, 0, true},
                                           {"currency", Type::Any, 0, 0, true},
                                           {"id", Type::Any},
                                           {"idempotency_key", Type::Any},
                                           {"timestamp", Type::Any},
                                           {"sim", Type::Any}};
    return params;
}

const std::vector<std::pair<QString, std::vector<Param>>>& objectiveKinds() {
    static const std::vector<std::pair<QString, std::vector<Param>>> table{
        {QStringLiteral("ack_alert"),
         {{"alert", Type::String, 0, 0, true}, {"within_s", Type::Number, 0, 86'400, true}}},
        {QStringLiteral("force_half_open"),
         {{"breaker", Type::String}, {"within_s", Type::Number, 0, 86'400}}},
        {QStringLiteral("rollback"), {{"region", Type::String}, {"within_s", Type::Number, 0, 86'400, true}}},
        {QStringLiteral("no_double_charge"), {}},
        {QStringLiteral("max_lost_payments"), {{"max", Type::Integer, 0, 1e12, true}}},
        // A trainee's command (as the report names it: retry, rollback, force_half_open, …) that
        // succeeded no earlier than not_before_s, and within within_s of it when given.
        {QStringLiteral("command"),
         {{"command", Type::String, 0, 0, true},
          {"not_before_s", Type::Number, 0, 86'400},
          {"within_s", Type::Number, 0, 86'400}}},
    };
    return table;
}

QStringList names(const std::vector<std::pair<QString, std::vector<Param>>>& table) {
    QStringList out;
    for (const auto& [name, params] : table) {
        out << name;
    }
    return out;
}

class Checker {
public:
    explicit Checker(const QByteArray& text) : lines_(text), positions_(indexJsonPositions(text)) {}

    void fail(const QString& path, const QString& message, bool atKey = false) {
        qsizetype offset = positions_.value(atKey ? path + QStringLiteral("#key") : path, -1);
        // A key that is not in the file (a missing field) is reported where its object starts.
        for (QString at = path; offset < 0 && !at.isEmpty();) {
            offset = positions_.value(at, -1);
            const qsizetype cut =
                std::max(at.lastIndexOf(QLatin1Char('.')), at.lastIndexOf(QLatin1Char('[')));
            at = offset < 0 && cut > 0 ? at.left(cut) : QString();
        }
        offset = std::max<qsizetype>(offset, 0);
        const auto [line, column] = lines_.lineAndColumn(offset);
        errors_.push_back(ScenarioError{line, column, path, message});
    }
    int lineOf(const QString& path) const { return lines_.lineAndColumn(positions_.value(path, 0)).first; }

    // Checks `object`'s keys against `params` (plus `extra` keys handled by the caller).
    void params(const QJsonObject& object, const QString& path, const std::vector<Param>& params,
                const QStringList& extra) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            const QString at = path.isEmpty() ? key : path + QLatin1Char('.') + key;
            const auto p = std::find_if(params.begin(), params.end(), [&key](const Param& param) {
                return key == QLatin1String(param.key);
            });
            if (p == params.end()) {
                if (!extra.contains(key)) {
                    QStringList allowed = extra;
                    for (const Param& param : params) {
                        allowed << QString::fromLatin1(param.key);
                    }
                    fail(at,
                         QStringLiteral("unknown key '%1' (expected %2)")
                             .arg(key, allowed.join(QStringLiteral(", "))),
                         true);
                }
                continue;
            }
            check(it.value(), at, *p);
        }
        for (const Param& p : params) {
            if (p.required && !object.contains(QLatin1String(p.key))) {
                fail(path, QStringLiteral("missing '%1'").arg(QLatin1String(p.key)));
            }
        }
    }

    void check(const QJsonValue& v, const QString& at, const Param& p) {
        switch (p.type) {
            case Type::Any:
                return;
            case Type::Bool:
                if (!v.isBool()) {
                    fail(at, QStringLiteral("must be true or false"));
                }
                return;
            case Type::String:
                if (!v.isString() || v.toString().isEmpty()) {
                    fail(at, QStringLiteral("must be a non-empty string"));
                }
                return;
            case Type::Strings: {
                const bool ok = v.isArray() &&
                                std::all_of(v.toArray().begin(), v.toArray().end(), [](const QJsonValue& e) {
                                    return e.isString() && !e.toString().isEmpty();
                                });
                if (!ok) {
                    fail(at, QStringLiteral("must be a list of non-empty strings"));
                }
                return;
            }
            case Type::Number:
            case Type::Integer: {
                const double d = v.toDouble();
                if (!v.isDouble() || d < p.min || d > p.max ||
                    (p.type == Type::Integer && d != std::floor(d))) {
                    fail(at, QStringLiteral("must be %1 from %2 to %3")
                                 .arg(p.type == Type::Integer ? QStringLiteral("a whole number")
                                                              : QStringLiteral("a number"))
                                 .arg(p.min)
                                 .arg(p.max));
                }
                return;
            }
        }
    }

    std::vector<ScenarioError>& errors() { return errors_; }

private:
    TextLines lines_;
    QHash<QString, qsizetype> positions_;
    std::vector<ScenarioError> errors_;
};

const std::vector<Param>* find(const std::vector<std::pair<QString, std::vector<Param>>>& table,
                               const QString& name) {
    for (const auto& [n, params] : table) {
        if (n == name) {
            return &params;
        }
    }
    return nullptr;
}

}  // namespace

std::variant<Scenario, std::vector<ScenarioError>> parseScenario(const QByteArray& text) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineAndColumn(text, parseError.offset);
        return std::vector<ScenarioError>{
            {line, column, {}, QStringLiteral("not valid JSON: ") + parseError.errorString()}};
    }
    Checker c(text);
    if (!document.isObject()) {
        c.fail({}, QStringLiteral("a scenario is a JSON object"));
        return c.errors();
    }
    const QJsonObject root = document.object();
    static const std::vector<Param> top{{"name", Type::String, 0, 0, true},
                                        {"title", Type::String},
                                        {"description", Type::String},
                                        {"seed", Type::Integer, 0, 9.007e15},
                                        {"duration_s", Type::Number, 1, 86'400, true},
                                        {"regions", Type::Strings}};
    // traffic, events and objectives are checked on their own below.
    c.params(root, QString(), top,
             {QStringLiteral("traffic"), QStringLiteral("events"), QStringLiteral("objectives")});
    Scenario s;
    s.name = root.value(QStringLiteral("name")).toString();
    static const QRegularExpression slug(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
    if (!s.name.isEmpty() && !slug.match(s.name).hasMatch()) {
        c.fail(QStringLiteral("name"),
               QStringLiteral("use lowercase letters, digits and dashes (it names the report)"));
    }
    s.title = root.value(QStringLiteral("title")).toString(s.name);
    s.description = root.value(QStringLiteral("description")).toString();
    s.seed = static_cast<std::uint64_t>(root.value(QStringLiteral("seed")).toDouble(1));
    s.durationS = root.value(QStringLiteral("duration_s")).toDouble();
    for (const QJsonValue& r : root.value(QStringLiteral("regions")).toArray()) {
        s.regions << r.toString();
    }
    if (root.contains(QStringLiteral("traffic"))) {
        const QJsonValue traffic = root.value(QStringLiteral("traffic"));
        if (!traffic.isObject()) {
            c.fail(QStringLiteral("traffic"), QStringLiteral("must be an object"));
        } else {
            static const std::vector<Param> trafficParams{{"payments_per_s", Type::Integer, 0, 1e6},
                                                          {"customers", Type::Integer, 1, 1e9},
                                                          {"fraudster_share", Type::Number, 0, 1}};
            c.params(traffic.toObject(), QStringLiteral("traffic"), trafficParams, {});
            s.paymentsPerS = traffic[QStringLiteral("payments_per_s")].toInt(0);
            s.customers = traffic[QStringLiteral("customers")].toInt(500);
            s.fraudsterShare = traffic[QStringLiteral("fraudster_share")].toDouble(0.01);
        }
    }
    const QJsonValue events = root.value(QStringLiteral("events"));
    if (!events.isUndefined() && !events.isArray()) {
        c.fail(QStringLiteral("events"), QStringLiteral("must be a list of events"));
    }
    const QJsonArray eventList = events.toArray();
    for (qsizetype i = 0; i < eventList.size(); ++i) {
        const QString path = QStringLiteral("events[%1]").arg(i);
        if (!eventList[i].isObject()) {
            c.fail(path, QStringLiteral("an event is an object with at_s and do"));
            continue;
        }
        const QJsonObject e = eventList[i].toObject();
        ScenarioEvent event;
        event.line = c.lineOf(path);
        const QJsonValue at = e.value(QStringLiteral("at_s"));
        if (!at.isDouble() || at.toDouble() < 0 || (s.durationS > 0 && at.toDouble() > s.durationS)) {
            c.fail(at.isUndefined() ? path : path + QStringLiteral(".at_s"),
                   at.isUndefined() ? QStringLiteral("missing 'at_s'")
                                    : QStringLiteral("must be a number of seconds from 0 to duration_s (%1)")
                                          .arg(s.durationS));
        }
        event.atS = at.toDouble();
        const QJsonValue action = e.value(QStringLiteral("do"));
        event.action = action.toString();
        if (event.action == u"payment") {
            const std::size_t before = c.errors().size();
            c.params(e, path, paymentParams(), {QStringLiteral("at_s"), QStringLiteral("do")});
            QJsonObject signal = e;
            signal.remove(QStringLiteral("at_s"));
            signal.remove(QStringLiteral("do"));
            const ParsedPayment parsed = parsePaymentSignal(signal);
            if (const auto* error = std::get_if<SignalError>(&parsed); error && c.errors().size() == before) {
                c.fail(path + QLatin1Char('.') + error->field, error->message);
            }
        } else {
            QJsonObject command = e;
            command.remove(QStringLiteral("at_s"));
            CommandParseOptions options;
            options.allowForS = true;
            options.extraKeys = {QStringLiteral("at_s")};
            const CommandParse parsed = parseCommand(command, options);
            if (const auto* errors = std::get_if<std::vector<CommandError>>(&parsed)) {
                for (const CommandError& error : *errors) {
                    c.fail(error.path.isEmpty() ? path : path + QLatin1Char('.') + error.path, error.message,
                           error.atKey);
                }
                continue;
            }
        }
        event.params = e;
        event.params.remove(QStringLiteral("at_s"));
        event.params.remove(QStringLiteral("do"));
        s.events.push_back(std::move(event));
    }
    std::stable_sort(s.events.begin(), s.events.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.atS < b.atS; });

    const QJsonValue objectives = root.value(QStringLiteral("objectives"));
    if (!objectives.isUndefined() && !objectives.isArray()) {
        c.fail(QStringLiteral("objectives"), QStringLiteral("must be a list of objectives"));
    }
    const QJsonArray objectiveList = objectives.toArray();
    for (qsizetype i = 0; i < objectiveList.size(); ++i) {
        const QString path = QStringLiteral("objectives[%1]").arg(i);
        const QJsonObject o = objectiveList[i].toObject();
        const QString kind = o.value(QStringLiteral("kind")).toString();
        const std::vector<Param>* params = find(objectiveKinds(), kind);
        if (params == nullptr) {
            c.fail(o.contains(QStringLiteral("kind")) ? path + QStringLiteral(".kind") : path,
                   QStringLiteral("unknown objective '%1' (expected one of %2)")
                       .arg(kind, names(objectiveKinds()).join(QStringLiteral(", "))));
            continue;
        }
        c.params(o, path, *params, {QStringLiteral("kind")});
        QJsonObject rest = o;
        rest.remove(QStringLiteral("kind"));
        s.objectives.push_back(ScenarioObjective{kind, rest});
    }
    if (!c.errors().empty()) {
        std::sort(c.errors().begin(), c.errors().end(), [](const ScenarioError& a, const ScenarioError& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        return c.errors();
    }
    return s;
}

}  // namespace tai
