#pragma once

#include "andon/andon_board.h"
#include "deployments/rollout_types.h"
#include "engine/engine_command.h"
#include "jidoka/breaker_types.h"
#include "payments/idempotency_store.h"
#include "payments/payment_response.h"
#include "payments/payment_signal.h"

#include <functional>
#include <variant>

namespace tai {

// A command that reached the engine, with what became of it.
struct CommandEvent {
    EngineCommand command;
    CommandResult result;
};

// A line for the timeline and the audit trail: the policy loaded, the engine started, a
// deployment accepted, a burst finished, payments shed.
struct NoteEvent {
    QString kind;  // policy, system, deployment, operator, shed, andon
    QString subject;
    QString text;
};

// A payment decided (§7). The response is released by `release` only once the decision, and the
// idempotency record if any, is durable. Pointers: valid for the duration of publish() only.
struct DecisionEvent {
    const PaymentSignal* signal = nullptr;
    const PaymentResponse* response = nullptr;
    const IdempotencyRecord* key = nullptr;
    std::function<void()>* release = nullptr;
};

// Everything the engine reports, as one value (the event journal publishes it).
struct EngineEvent {
    TimePoint at;
    std::variant<BreakerTransition, RolloutReportEvent, AlertTransition, CommandEvent, NoteEvent,
                 DecisionEvent>
        what;
};

}  // namespace tai
