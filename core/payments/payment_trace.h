#pragma once

#include "jidoka/breaker_types.h"
#include "payments/payment_outcome.h"
#include "trace/kept_trace.h"
#include "trace/trace_context.h"

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
    // An incoming traceparent: the caller's span and whether the caller records the trace.
    std::uint64_t parentSpanId = 0;
    TraceContext::Parent parent = TraceContext::Parent::None;
    std::shared_ptr<const HttpServerCall> http;  // set when the payment came over HTTP
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
    std::shared_ptr<const std::vector<SpanAttribute>> gatewayAttributes;  // PaymentGateway::callAttributes
    int gatewayHttpStatus = 0;
    QString gatewayErrorType;
};

// One payment's kept trace. Only the facts are recorded when a payment is decided; the span tree
// of §12 is drawn when someone looks: process_signal › idempotency_check, evaluate_policy (one
// child per rule), execute_action (circuit_breaker_check, gateway_call), queue_async_work,
// generate_response.
//
// OpenTelemetry conventions: process_signal is SERVER with the HTTP server attributes when the
// payment came over HTTP (its parent the caller's span from traceparent), INTERNAL otherwise;
// gateway_call is CLIENT (with the HTTP client attributes for a real gateway). A span's status is
// ERROR only when the payment failed on this side or the gateway's (a 5xx answer: gateway error or
// timeout, circuit open); a decline (402), an invalid body, a conflict, a duplicate and a shed
// (429) are answers, and leave it unset. Our own attributes are namespaced tai.*.
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
    // A caller that sent traceparent ...-00 does not record the trace: it is kept for the
    // console (a decline or a failure always is) but not exported.
    bool exported() const override { return parent != TraceContext::Parent::NotSampled; }

    // The gateway_call span's id, which a real gateway is sent as the traceparent's parent id.
    static std::uint64_t gatewayCallSpanId(const QString& traceId);
};

}  // namespace tai
