#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <variant>
#include <vector>

namespace tai {

// A training scenario (DESIGN.md §9.4), validated: every `do` of the table with its parameters
// checked, objectives known. The runner can rely on what is here.
struct ScenarioEvent {
    double atS = 0;
    QString action;      // gateway.fault, infra.fault, traffic, deploy, payment, operator
    QJsonObject params;  // the event's other keys, checked against the action's table
    int line = 0;        // where it was written, for messages at run time
};

struct ScenarioObjective {
    QString kind;  // ack_alert, force_half_open, rollback, no_double_charge, max_lost_payments
    QJsonObject params;
};

struct Scenario {
    QString name;
    QString title;
    QString description;  // the trainee's briefing
    std::uint64_t seed = 1;
    double durationS = 0;
    QStringList regions;
    int paymentsPerS = 0;
    int customers = 500;
    double fraudsterShare = 0.01;
    std::vector<ScenarioEvent> events;  // in time order (stable for equal times)
    std::vector<ScenarioObjective> objectives;
};

// A problem in a scenario file: where (line, column, key path) and what.
struct ScenarioError {
    int line = 0;
    int column = 0;
    QString path;  // "events[2].do"; empty for the document
    QString message;
    QString text() const;  // "line 4, column 12: events[2].do: unknown action 'explode' (…)"
};

// Strict: unknown keys, wrong types, out-of-range numbers and unknown `do` values are errors,
// and every error in the file is reported, not just the first. Nothing half-valid comes back.
std::variant<Scenario, std::vector<ScenarioError>> parseScenario(const QByteArray& text);

}  // namespace tai
