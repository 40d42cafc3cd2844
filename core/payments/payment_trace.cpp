// The span tree of §12 for one payment, built only for kept traces (after the decision), from
// the times the pipeline noted on the way.
#include "payments/payment_trace.h"

#include "base/money.h"
#include "base/seeded_random.h"
#include "payments/payment_pipeline.h"

#include <QJsonArray>

namespace tai {

namespace {
double ms(Duration d) {
    return toSeconds(d) * 1000.0;
}
}  // namespace

std::shared_ptr<PaymentTrace> buildPaymentTrace(const PaymentPipeline& pipeline,
                                                const PaymentPipeline::Pending& p,
                                                const PaymentResponse& response, TimePoint end) {
    PaymentTraceFacts t;
    t.paymentId = response.id;
    t.customerId = p.signal.customerId;
    t.outcome = response.outcome;
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
    return std::make_shared<PaymentTrace>(p.traceId, p.receivedAt, end, std::move(t));
}

std::vector<Span> PaymentTrace::spans() const {
    std::vector<Span> out;
    out.reserve(8 + rules.size());  // references to spans below stay valid
    // Span ids: distinct, non-zero and the same for the same trace id (replays match).
    SeededRandom ids(SeededRandom::hash(traceId()), QStringView(u"spans"), 19);
    const auto span = [&](QString name, std::uint64_t parent, TimePoint from, TimePoint to) -> Span& {
        const std::uint64_t id = ids.next();
        Span s;
        s.name = std::move(name);
        s.spanId = id == 0 ? 1 : id;
        s.parentId = parent;
        s.start = from;
        s.end = std::max(from, to);
        out.push_back(std::move(s));
        return out.back();
    };
    const QString outcomeName = toString(outcome);
    const bool failed = outcome != PaymentOutcome::Charged && outcome != PaymentOutcome::Duplicate;
    using Attribute = SpanAttribute;

    Span& root = span(QStringLiteral("process_signal"), 0, start(), end());
    root.kind = SpanKind::Server;
    root.error = failed;
    root.attributes = {
        Attribute{QStringLiteral("payment.id"), paymentId},
        Attribute{QStringLiteral("payment.outcome"), outcomeName},
        Attribute{QStringLiteral("http.status_code"), std::int64_t{httpStatus}},
        Attribute{QStringLiteral("sampled"),
                  headSampled ? QStringLiteral("head") : QStringLiteral("kept: ") + outcomeName}};
    if (!customerId.isEmpty()) {
        root.attributes.push_back({QStringLiteral("customer.id"), customerId});
        root.attributes.push_back({QStringLiteral("merchant.id"), merchantId});
        root.attributes.push_back(
            {QStringLiteral("payment.amount"), formatMinorUnits(amountMinor) + QLatin1Char(' ') + currency});
    }
    const std::uint64_t rootId = root.spanId;

    if (!idempotencyKey.isEmpty()) {
        Span& s = span(QStringLiteral("idempotency_check"), rootId, start(), start());
        s.attributes = {Attribute{QStringLiteral("idempotency.key"), idempotencyKey},
                        Attribute{QStringLiteral("result"), outcome == PaymentOutcome::Duplicate
                                                                ? QStringLiteral("duplicate")
                                                            : outcome == PaymentOutcome::IdempotencyConflict
                                                                ? QStringLiteral("conflict")
                                                                : QStringLiteral("new")}};
        s.error = outcome == PaymentOutcome::IdempotencyConflict;
    }
    if (policyRan) {
        Span& policy = span(QStringLiteral("evaluate_policy"), rootId, start(), policyDone);
        policy.error = outcome == PaymentOutcome::Rejected;
        policy.attributes = {Attribute{QStringLiteral("policy.score"), std::int64_t{score}},
                             Attribute{QStringLiteral("policy.reject_score"), std::int64_t{rejectScore}},
                             Attribute{QStringLiteral("policy.rejected"), rejected}};
        const std::uint64_t policyId = policy.spanId;
        for (const RuleVerdict& r : rules) {
            // Rules are timed together: each child spans the policy evaluation.
            Span& rule = span(QStringLiteral("rule:") + r.name, policyId, start(), policyDone);
            rule.attributes = {Attribute{QStringLiteral("rule.weight"), std::int64_t{r.weight}},
                               Attribute{QStringLiteral("rule.fired"), r.fired},
                               Attribute{QStringLiteral("rule.reason"), r.reason}};
        }
    }
    if (dispatched) {
        Span& action = span(QStringLiteral("execute_action"), rootId, dispatchedAt, end());
        action.error = failed;
        action.attributes = {
            Attribute{QStringLiteral("queue.position_on_arrival"), static_cast<std::int64_t>(queuePosition)},
            Attribute{QStringLiteral("queue.wait_ms"), ms(dispatchedAt - policyDone)}};
        const std::uint64_t actionId = action.spanId;
        Span& check = span(QStringLiteral("circuit_breaker_check"), actionId, dispatchedAt, dispatchedAt);
        check.error = !breakerAllowed;
        check.attributes = {Attribute{QStringLiteral("breaker.name"), QStringLiteral("payment-gateway")},
                            Attribute{QStringLiteral("breaker.state"), toString(breaker)},
                            Attribute{QStringLiteral("breaker.allowed"), breakerAllowed}};
        if (breakerAllowed) {
            Span& call = span(QStringLiteral("gateway_call"), actionId, dispatchedAt, end());
            call.kind = SpanKind::Client;
            call.error = failed;
            call.attributes = {Attribute{QStringLiteral("gateway.result"), outcomeName},
                               Attribute{QStringLiteral("gateway.latency_ms"), ms(end() - dispatchedAt)}};
            if (!receiptId.isEmpty()) {
                call.attributes.push_back({QStringLiteral("gateway.receipt_id"), receiptId});
            }
        }
    } else if (outcome == PaymentOutcome::QueueFull) {
        Span& shed = span(QStringLiteral("execute_action"), rootId, policyDone, policyDone);
        shed.error = true;
        shed.attributes = {
            Attribute{QStringLiteral("queue.position_on_arrival"), static_cast<std::int64_t>(queuePosition)},
            Attribute{QStringLiteral("queue.capacity"), static_cast<std::int64_t>(queueCapacity)},
            Attribute{QStringLiteral("result"), QStringLiteral("shed: admission queue full")}};
    }
    if (outcome == PaymentOutcome::Charged) {
        Span& async = span(QStringLiteral("queue_async_work"), rootId, end(), end());
        async.attributes = {Attribute{QStringLiteral("queue"), QStringLiteral("confirmation")}};
    }
    Span& reply = span(QStringLiteral("generate_response"), rootId, end(), end());
    reply.error = failed;
    reply.attributes = {Attribute{QStringLiteral("payment.outcome"), outcomeName}};
    if (!error.isEmpty()) {
        reply.attributes.push_back({QStringLiteral("error"), error});
    }
    if (retryAfterS > 0) {
        reply.attributes.push_back({QStringLiteral("retry_after_s"), retryAfterS});
    }
    return out;
}

QString PaymentTrace::tag(QStringView key) const {
    if (key == u"customer") {
        return customerId;
    }
    if (key == u"outcome") {
        return toString(outcome);
    }
    return {};
}

QJsonObject PaymentTrace::summary() const {
    return QJsonObject{
        {QStringLiteral("payment_id"), paymentId},
        {QStringLiteral("customer_id"), customerId},
        {QStringLiteral("outcome"), toString(outcome)},
        {QStringLiteral("sampled"), headSampled ? QStringLiteral("head") : QStringLiteral("kept")}};
}

QJsonObject PaymentTrace::why() const {
    QJsonArray verdicts;
    for (const RuleVerdict& r : rules) {
        verdicts.append(QJsonObject{{QStringLiteral("rule"), r.name},
                                    {QStringLiteral("reason"), r.reason},
                                    {QStringLiteral("weight"), r.weight},
                                    {QStringLiteral("fired"), r.fired}});
    }
    return QJsonObject{{QStringLiteral("policy_ran"), policyRan},
                       {QStringLiteral("score"), score},
                       {QStringLiteral("reject_score"), rejectScore},
                       {QStringLiteral("rules"), verdicts},
                       {QStringLiteral("breaker"), toString(breaker)},
                       {QStringLiteral("breaker_allowed"), breakerAllowed},
                       {QStringLiteral("queue_position"), static_cast<qint64>(queuePosition)},
                       {QStringLiteral("queue_capacity"), static_cast<qint64>(queueCapacity)},
                       {QStringLiteral("retry_after_s"), retryAfterS},
                       {QStringLiteral("error"), error}};
}

}  // namespace tai
