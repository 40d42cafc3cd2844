#pragma once

#include "jidoka/breaker_types.h"
#include "payments/payment_outcome.h"
#include "sim/clock.h"

#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

namespace tai {

// One span of a payment's trace (§12). Ids are 64-bit; OTLP and the UI show them as hex.
struct Span {
    QString name;  // process_signal, evaluate_policy, rule:velocity, execute_action, …
    std::uint64_t spanId = 0;
    std::uint64_t parentId = 0;  // 0 for the root
    TimePoint start;
    TimePoint end;
    bool error = false;
    std::vector<std::pair<QString, QString>> attributes;
};

// A rule's part in a decision, for "Why was this blocked?".
struct RuleVerdict {
    QString name;
    QString reason;
    int weight = 0;
    bool fired = false;
};

// What the engine knew about one payment when it decided: the span tree and the facts the
// "Why was this blocked?" view shows (each rule and its weight, the score against the
// threshold, the breaker state and the queue position at that moment).
struct PaymentTrace {
    QString traceId;  // 32 hex digits
    QString paymentId;
    QString customerId;
    PaymentOutcome outcome = PaymentOutcome::Invalid;
    TimePoint start;
    TimePoint end;
    bool headSampled = false;  // false: kept because it was rejected or failed
    int score = 0;
    int rejectScore = 0;
    bool policyRan = false;
    std::vector<RuleVerdict> rules;
    BreakerState breaker = BreakerState::Closed;
    bool breakerAllowed = true;
    std::size_t queuePosition = 0;  // admission depth ahead of it on arrival (0: went straight through)
    std::size_t queueCapacity = 0;
    double retryAfterS = 0;
    QString error;
    QString receiptId;
    // The rest of what the spans are drawn from. Only these facts are recorded when a payment is
    // decided (two allocations); spans are built when someone looks (spansOf).
    QString merchantId;
    std::int64_t amountMinor = 0;
    QString currency;
    QString idempotencyKey;
    int httpStatus = 0;
    bool rejected = false;
    bool dispatched = false;
    TimePoint policyDone;
    TimePoint dispatchedAt;
};

// The span tree of §12, root first: process_signal › idempotency_check, evaluate_policy (one
// child per rule), execute_action (circuit_breaker_check, gateway_call), queue_async_work,
// generate_response. Span ids are derived from the trace id, so they are stable.
std::vector<Span> spansOf(const PaymentTrace& trace);

QString spanIdHex(std::uint64_t id);

}  // namespace tai
