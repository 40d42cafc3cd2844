#pragma once

#include "engine/engine_command.h"
#include "scenario/scenario_file.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <variant>

namespace tai {

// What a timeline event does to the engine: a command, or a payment to submit (its JSON).
using ScenarioAction = std::variant<EngineCommand, QByteArray>;

// The §9.4 event turned into the engine's terms. `actor` defaults to "scenario". Events expand
// their `for_s` elsewhere (expandTimeline); here a gateway.fault is just the fault.
ScenarioAction actionFor(const ScenarioEvent& event);

// The other way round, for recording: a command the trainee gave, as a §9.4 event without at_s.
// Every command has a form, so a saved session replays everything the trainee did.
QJsonObject eventFor(const EngineCommand& command);
// A payment submitted by hand, as a `payment` event; nullopt when it is not a valid payment (the
// engine answers those `invalid` and nothing else changes).
std::optional<QJsonObject> eventForPayment(const QByteArray& json);

// The timeline as the runner plays it: events in time order, with each `for_s` expanded into the
// event that ends it (the gateway back to healthy, traffic back to the profile) at at_s + for_s.
std::vector<ScenarioEvent> expandTimeline(const Scenario& scenario);

}  // namespace tai
