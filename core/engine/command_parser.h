#pragma once

#include "engine/engine_command.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <variant>
#include <vector>

namespace tai {

// The one parser of the command language. Every entry point turns what it was given into the
// command's JSON form (the scenario file's event, DESIGN.md §9.4, without at_s) and parses that:
//   {"do": "gateway.fault", "error_rate": 0.3}
//   {"do": "operator", "command": "force_open", "breaker": "payment-gateway", "reason": "…"}
// HTTP routes build it from their path and body, the CLI from its specs (command_spec.h),
// scenario files and saved sessions are written in it. Validation is strict: unknown keys, wrong
// types and out-of-range values are errors that name the key.
struct CommandError {
    CommandError(QString at, QString what, bool key = false, QString absent = {})
        : path(std::move(at)), message(std::move(what)), atKey(key), missing(std::move(absent)) {}

    QString path;        // the key at fault ("error_rate"), or empty for the whole object
    QString message;     // "must be a number from 0 to 1"
    bool atKey = false;  // the key itself is wrong (unknown), not its value
    QString missing;     // for a missing key: its name (the path stays on the object that lacks it)
    QString text() const { return path.isEmpty() ? message : path + QStringLiteral(": ") + message; }
    QString field() const { return path.isEmpty() ? missing : path; }
};

struct CommandParseOptions {
    // Scenario timelines only: gateway.fault and traffic take `for_s`, which the runner expands
    // into the event that ends them.
    bool allowForS = false;
    // Keys the caller handles itself (a scenario event's at_s): allowed, and named among the
    // expected keys in messages.
    QStringList extraKeys;
    // The actor when the object names none.
    QString defaultActor = QStringLiteral("operator");
};

struct ParsedCommand {
    EngineCommand command;
    std::optional<double> forS;  // with allowForS only
};

using CommandParse = std::variant<ParsedCommand, std::vector<CommandError>>;

CommandParse parseCommand(const QJsonObject& object, const CommandParseOptions& options = {});

// The `do` values and operator commands the language has, for messages and documentation.
QStringList commandActions();    // gateway.fault, infra.fault, traffic, deploy, operator
QStringList operatorCommands();  // force_open, …, clear_infra_fault

// The other way round: a command as its JSON form (what a saved session writes). Parsing the
// result gives the same command back.
QJsonObject commandJson(const EngineCommand& command);

}  // namespace tai
