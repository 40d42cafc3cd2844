// The span tree of §12 for one payment, built only for kept traces (after the decision), from
// the times the pipeline noted on the way.
#include "payments/payment_pipeline.h"
#include "signal/money.h"
#include "sim/seeded_random.h"

namespace tai {

namespace {
QString ms(Duration d) {
    return QString::number(toSeconds(d) * 1000.0, 'f', 3);
}
}  // namespace

std::shared_ptr<PaymentTrace> buildPaymentTrace(const PaymentPipeline& pipeline,
                                                const PaymentPipeline::Pending& p,
                                                const PaymentResponse& response, TimePoint end) {
    auto trace = std::make_shared<PaymentTrace>();
    PaymentTrace& t = *trace;
    t.traceId = p.traceId;
    t.paymentId = response.id;
    t.customerId = p.signal.customerId;
    t.outcome = response.outcome;
    t.start = p.receivedAt;
    t.end = end;
    t.headSampled = p.sampled;
    t.score = response.score;
    t.policyRan = response.policyRan;
    t.rejectScore = pipeline.policy().rules().rejectScore();
    t.breaker = p.dispatched ? p.breakerAtDispatch : response.breakerAfter;
    t.breakerAllowed = p.breakerAllowed;
    t.queuePosition = p.queuePosition;
    t.queueCapacity = static_cast<std::size_t>(pipeline.config().admissionQueueCapacity);
    t.retryAfterS = toSeconds(response.retryAfter);
    t.error = response.error;
    t.receiptId = response.receiptId;
    t.merchantId = p.signal.merchantId;
    t.amountMinor = p.signal.amountMinor;
    t.currency = p.signal.currency;
    t.idempotencyKey = p.signal.idempotencyKey.value_or(QString());
    t.httpStatus = response.httpStatus();
    t.rejected = p.decision.rejected;
    t.dispatched = p.dispatched;
    t.policyDone = p.policyDone;
    t.dispatchedAt = p.dispatchedAt;

    const auto& rules = pipeline.policy().rules();
    if (response.policyRan) {
        t.rules.reserve(rules.size());
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const bool fired = (p.decision.firedRules & (std::uint32_t{1} << i)) != 0;
            t.rules.push_back(
                RuleVerdict{rules.rule(i).name(), rules.rule(i).reason(), rules.rule(i).weight, fired});
        }
    }
    return trace;
}

std::vector<Span> spansOf(const PaymentTrace& t) {
    std::vector<Span> out;
    out.reserve(8 + t.rules.size());  // references to spans below stay valid
    // Span ids: distinct, non-zero and the same for the same trace id (replays match).
    SeededRandom ids(SeededRandom::hash(t.traceId), QStringView(u"spans"), 19);
    const auto span = [&](QString name, std::uint64_t parent, TimePoint start, TimePoint stop) -> Span& {
        std::uint64_t id = ids.next();
        out.push_back(
            Span{std::move(name), id == 0 ? 1 : id, parent, start, std::max(start, stop), false, {}});
        return out.back();
    };
    const QString outcome = toString(t.outcome);
    const bool failed = t.outcome != PaymentOutcome::Charged && t.outcome != PaymentOutcome::Duplicate;

    Span& root = span(QStringLiteral("process_signal"), 0, t.start, t.end);
    root.error = failed;
    root.attributes = {{QStringLiteral("payment.id"), t.paymentId},
                       {QStringLiteral("payment.outcome"), outcome},
                       {QStringLiteral("http.status_code"), QString::number(t.httpStatus)},
                       {QStringLiteral("sampled"),
                        t.headSampled ? QStringLiteral("head") : QStringLiteral("kept: ") + outcome}};
    if (!t.customerId.isEmpty()) {
        root.attributes.emplace_back(QStringLiteral("customer.id"), t.customerId);
        root.attributes.emplace_back(QStringLiteral("merchant.id"), t.merchantId);
        root.attributes.emplace_back(QStringLiteral("payment.amount"),
                                     formatMinorUnits(t.amountMinor) + QLatin1Char(' ') + t.currency);
    }
    const std::uint64_t rootId = root.spanId;

    if (!t.idempotencyKey.isEmpty()) {
        Span& s = span(QStringLiteral("idempotency_check"), rootId, t.start, t.start);
        s.attributes = {{QStringLiteral("idempotency.key"), t.idempotencyKey},
                        {QStringLiteral("result"),
                         t.outcome == PaymentOutcome::Duplicate             ? QStringLiteral("duplicate")
                         : t.outcome == PaymentOutcome::IdempotencyConflict ? QStringLiteral("conflict")
                                                                            : QStringLiteral("new")}};
        s.error = t.outcome == PaymentOutcome::IdempotencyConflict;
    }
    if (t.policyRan) {
        Span& policy = span(QStringLiteral("evaluate_policy"), rootId, t.start, t.policyDone);
        policy.error = t.outcome == PaymentOutcome::Rejected;
        policy.attributes = {{QStringLiteral("policy.score"), QString::number(t.score)},
                             {QStringLiteral("policy.reject_score"), QString::number(t.rejectScore)},
                             {QStringLiteral("policy.rejected"),
                              t.rejected ? QStringLiteral("true") : QStringLiteral("false")}};
        const std::uint64_t policyId = policy.spanId;
        for (const RuleVerdict& r : t.rules) {
            // Rules are timed together: each child spans the policy evaluation.
            Span& rule = span(QStringLiteral("rule:") + r.name, policyId, t.start, t.policyDone);
            rule.attributes = {
                {QStringLiteral("rule.weight"), QString::number(r.weight)},
                {QStringLiteral("rule.fired"), r.fired ? QStringLiteral("true") : QStringLiteral("false")},
                {QStringLiteral("rule.reason"), r.reason}};
        }
    }
    if (t.dispatched) {
        Span& action = span(QStringLiteral("execute_action"), rootId, t.dispatchedAt, t.end);
        action.error = failed;
        action.attributes = {{QStringLiteral("queue.position_on_arrival"), QString::number(t.queuePosition)},
                             {QStringLiteral("queue.wait_ms"), ms(t.dispatchedAt - t.policyDone)}};
        const std::uint64_t actionId = action.spanId;
        Span& check = span(QStringLiteral("circuit_breaker_check"), actionId, t.dispatchedAt, t.dispatchedAt);
        check.error = !t.breakerAllowed;
        check.attributes = {{QStringLiteral("breaker.name"), QStringLiteral("payment-gateway")},
                            {QStringLiteral("breaker.state"), toString(t.breaker)},
                            {QStringLiteral("breaker.allowed"),
                             t.breakerAllowed ? QStringLiteral("true") : QStringLiteral("false")}};
        if (t.breakerAllowed) {
            Span& call = span(QStringLiteral("gateway_call"), actionId, t.dispatchedAt, t.end);
            call.error = failed;
            call.attributes = {{QStringLiteral("gateway.result"), outcome},
                               {QStringLiteral("gateway.latency_ms"), ms(t.end - t.dispatchedAt)}};
            if (!t.receiptId.isEmpty()) {
                call.attributes.emplace_back(QStringLiteral("gateway.receipt_id"), t.receiptId);
            }
        }
    } else if (t.outcome == PaymentOutcome::QueueFull) {
        Span& shed = span(QStringLiteral("execute_action"), rootId, t.policyDone, t.policyDone);
        shed.error = true;
        shed.attributes = {{QStringLiteral("queue.position_on_arrival"), QString::number(t.queuePosition)},
                           {QStringLiteral("queue.capacity"), QString::number(t.queueCapacity)},
                           {QStringLiteral("result"), QStringLiteral("shed: admission queue full")}};
    }
    if (t.outcome == PaymentOutcome::Charged) {
        Span& async = span(QStringLiteral("queue_async_work"), rootId, t.end, t.end);
        async.attributes = {{QStringLiteral("queue"), QStringLiteral("confirmation")}};
    }
    Span& reply = span(QStringLiteral("generate_response"), rootId, t.end, t.end);
    reply.error = failed;
    reply.attributes = {{QStringLiteral("payment.outcome"), outcome}};
    if (!t.error.isEmpty()) {
        reply.attributes.emplace_back(QStringLiteral("error"), t.error);
    }
    if (t.retryAfterS > 0) {
        reply.attributes.emplace_back(QStringLiteral("retry_after_s"), QString::number(t.retryAfterS));
    }
    return out;
}

}  // namespace tai
