#include "engine/command_spec.h"

#include <QStringList>

namespace tai {

namespace {

struct SpecKey {
    const char* spec;  // as written on the command line
    const char* key;   // the command's JSON key
    bool text;         // a string value, not a number
};

constexpr SpecKey kFaultKeys[] = {{"error", "error_rate", false},
                                  {"timeout", "timeout_rate", false},
                                  {"latency", "latency_ms", false},
                                  {"jitter", "jitter_ms", false}};
constexpr SpecKey kInfraKeys[] = {{"region", "region", true},
                                  {"version", "version", true},
                                  {"error", "error_rate", false},
                                  {"p99", "p99_ms", false},
                                  {"actions", "action_failure_rate", false},
                                  {"capacity", "capacity", false}};

template <std::size_t N>
std::variant<QJsonObject, QString> fromParts(const QString& option, const QString& spec, QJsonObject object,
                                             const SpecKey (&keys)[N], bool allowDown) {
    QStringList names;
    for (const SpecKey& k : keys) {
        names << QString::fromLatin1(k.spec) + (k.text ? QStringLiteral("=…") : QStringLiteral("=N"));
    }
    if (allowDown) {
        names.prepend(QStringLiteral("down"));
    }
    for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1).trimmed();
        if (allowDown && name == u"down" && !part.contains(QLatin1Char('='))) {
            object.insert(QStringLiteral("down"), true);
            continue;
        }
        const SpecKey* key = nullptr;
        for (const SpecKey& k : keys) {
            if (name == QLatin1String(k.spec)) {
                key = &k;
            }
        }
        if (key == nullptr) {
            return QStringLiteral("%1: unknown part '%2' (use %3)")
                .arg(option, part, names.join(QStringLiteral(", ")));
        }
        if (key->text) {
            if (value.isEmpty()) {
                return QStringLiteral("%1: '%2' needs a value").arg(option, part);
            }
            object.insert(QLatin1String(key->key), value);
            continue;
        }
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok) {
            return QStringLiteral("%1: '%2' is not a number").arg(option, part);
        }
        object.insert(QLatin1String(key->key), number);
    }
    return object;
}

}  // namespace

std::variant<QJsonObject, QString> commandObjectFromSpec(const QString& option, const QString& spec) {
    if (option == u"--fault") {
        QJsonObject fault{{QStringLiteral("do"), QStringLiteral("gateway.fault")}};
        if (spec.trimmed() == u"none") {
            return fault;
        }
        return fromParts(option, spec, fault, kFaultKeys, true);
    }
    if (option == u"--infra-fault") {
        return fromParts(option, spec, QJsonObject{{QStringLiteral("do"), QStringLiteral("infra.fault")}},
                         kInfraKeys, false);
    }
    if (option == u"--deploy") {
        const qsizetype colon = spec.indexOf(QLatin1Char(':'));
        if (colon <= 0 || colon == spec.size() - 1) {
            return QStringLiteral("%1: expected SERVICE:VERSION, e.g. api-service:v2.0.0 (got '%2')")
                .arg(option, spec);
        }
        return QJsonObject{{QStringLiteral("do"), QStringLiteral("deploy")},
                           {QStringLiteral("service"), spec.left(colon)},
                           {QStringLiteral("version"), spec.mid(colon + 1)}};
    }
    return QStringLiteral("%1: not a command option").arg(option);
}

std::variant<EngineCommand, QString> parseCommandSpec(const QString& option, const QString& spec,
                                                      const QString& actor) {
    const auto object = commandObjectFromSpec(option, spec);
    if (const auto* error = std::get_if<QString>(&object)) {
        return *error;
    }
    CommandParseOptions options;
    options.defaultActor = actor;
    const CommandParse parsed = parseCommand(std::get<QJsonObject>(object), options);
    if (const auto* errors = std::get_if<std::vector<CommandError>>(&parsed)) {
        return option + QStringLiteral(": ") + errors->front().text();
    }
    return std::get<ParsedCommand>(parsed).command;
}

}  // namespace tai
