#pragma once

#include "jidoka/breaker_types.h"
#include "payments/payment_outcome.h"
#include "trace/kept_trace.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace tai {

// A rule's part in a decision, for "Why was this blocked?".
struct RuleVerdict {
    QString name;
    QString reason;
    int weight = 0;
    bool fired = false;
};

// What the engine knew about one payment when it decided: the facts the "Why was this blocked?"
// view shows (each rule and its weight, the score against the threshold, the breaker state and
// the queue position at that moment) and the times the spans are drawn from.
struct PaymentTraceFacts {
    QString paymentId;
    QString customerId;
    PaymentOutcome outcome = PaymentOutcome::Invalid;
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

// One payment's kept trace. Only the facts are recorded when a payment is decided; the span tree
// of §12 is drawn when someone looks: process_signal › idempotency_check, evaluate_policy (one
// child per rule), execute_action (circuit_breaker_check, gateway_call), queue_async_work,
// generate_response.
class PaymentTrace final : public KeptTrace, public PaymentTraceFacts {
public:
    PaymentTrace(QString traceId, TimePoint start, TimePoint end, PaymentTraceFacts facts)
        : KeptTrace(std::move(traceId), start, end), PaymentTraceFacts(std::move(facts)) {}

    QString system() const override { return QStringLiteral("payments"); }
    // "customer" and "outcome".
    QString tag(QStringView key) const override;
    QJsonObject summary() const override;
    QJsonObject why() const override;
    std::vector<Span> spans() const override;
};

}  // namespace tai
