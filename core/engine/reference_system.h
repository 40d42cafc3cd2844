#pragma once

#include "andon/andon_evaluator.h"
#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <functional>
#include <optional>
#include <vector>

namespace tai {

class AuditStore;
class CircuitBreaker;
class Clock;
class EventJournal;
class OtlpExporter;
class TraceStore;
struct EngineConfig;

// What the host gives a reference system when it starts it. Everything lives on the engine thread
// and outlives the system.
struct SystemContext {
    const EngineConfig& config;
    Clock& clock;
    EventJournal& journal;
    TraceStore& traces;
    OtlpExporter* otlp = nullptr;                     // trace export, when configured
    AuditStore* audit = nullptr;                      // the durable trail, when there is one
    bool virtualTime = false;                         // scenarios and tests: the clock is driven, not real
    std::function<void(std::function<void()>)> post;  // runs work later on the engine thread
    std::function<void()> requestSnapshot;            // state changed: an extra snapshot soon
    // An event alert (§5.4: a rollback, a failed deployment): on the timeline, then on the board.
    std::function<void(ActiveAlert alert)> raiseAlert;
};

// A breaker a system owns, with what the console needs to place it.
struct OwnedBreaker {
    CircuitBreaker* breaker = nullptr;
    QString region;  // empty for a system-wide breaker
};

// One reference system hosted by the engine (DESIGN.md §1: payments, deployments). The host owns
// the clock, the journal, Andon and the snapshot; a system owns its mechanisms and state, takes
// the commands that are its own, offers its conditions to the Andon rules and its state to the
// snapshot. All calls come on the engine thread.
class ReferenceSystem {
public:
    virtual ~ReferenceSystem() = default;

    virtual QString name() const = 0;  // "payments", "deployments"
    // False, with `error` set, when the system cannot start; nothing of it then runs.
    virtual bool start(SystemContext& context, QString* error) = 0;
    virtual void stop() = 0;

    // The result when `command` is this system's; nullopt when it is not.
    virtual std::optional<CommandResult> apply(const EngineCommand& command) = 0;
    virtual std::vector<OwnedBreaker> breakers() = 0;
    // Once a second, at the start of each second.
    virtual void tick() {}
    // The conditions the Andon rules judge (§11), in the order the rules take them.
    virtual void andonInputs(AndonInputs& inputs) = 0;
    // Its part of the snapshot. Only reads.
    virtual void contribute(EngineSnapshot& snapshot) const = 0;
};

}  // namespace tai
