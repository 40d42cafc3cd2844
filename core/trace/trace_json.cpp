#include "trace/trace_json.h"

#include "signal/rfc3339.h"

#include <QJsonArray>

namespace tai {

QJsonObject traceJson(const PaymentTrace& t, bool summary) {
    QJsonObject o{
        {QStringLiteral("trace_id"), t.traceId},
        {QStringLiteral("payment_id"), t.paymentId},
        {QStringLiteral("customer_id"), t.customerId},
        {QStringLiteral("outcome"), toString(t.outcome)},
        {QStringLiteral("start"), formatRfc3339(t.start)},
        {QStringLiteral("duration_ms"), toSeconds(t.end - t.start) * 1000.0},
        {QStringLiteral("sampled"), t.headSampled ? QStringLiteral("head") : QStringLiteral("kept")}};
    if (summary) {
        return o;
    }
    QJsonArray rules;
    for (const RuleVerdict& r : t.rules) {
        rules.append(QJsonObject{{QStringLiteral("rule"), r.name},
                                 {QStringLiteral("reason"), r.reason},
                                 {QStringLiteral("weight"), r.weight},
                                 {QStringLiteral("fired"), r.fired}});
    }
    o.insert(QStringLiteral("why"),
             QJsonObject{{QStringLiteral("policy_ran"), t.policyRan},
                         {QStringLiteral("score"), t.score},
                         {QStringLiteral("reject_score"), t.rejectScore},
                         {QStringLiteral("rules"), rules},
                         {QStringLiteral("breaker"), toString(t.breaker)},
                         {QStringLiteral("breaker_allowed"), t.breakerAllowed},
                         {QStringLiteral("queue_position"), static_cast<qint64>(t.queuePosition)},
                         {QStringLiteral("queue_capacity"), static_cast<qint64>(t.queueCapacity)},
                         {QStringLiteral("retry_after_s"), t.retryAfterS},
                         {QStringLiteral("error"), t.error}});
    QJsonArray spans;
    for (const Span& s : spansOf(t)) {
        QJsonObject attributes;
        for (const auto& [key, value] : s.attributes) {
            attributes.insert(key, value);
        }
        spans.append(
            QJsonObject{{QStringLiteral("name"), s.name},
                        {QStringLiteral("span_id"), spanIdHex(s.spanId)},
                        {QStringLiteral("parent_id"), s.parentId == 0 ? QString() : spanIdHex(s.parentId)},
                        {QStringLiteral("start_offset_ms"), toSeconds(s.start - t.start) * 1000.0},
                        {QStringLiteral("duration_ms"), toSeconds(s.end - s.start) * 1000.0},
                        {QStringLiteral("error"), s.error},
                        {QStringLiteral("attributes"), attributes}});
    }
    o.insert(QStringLiteral("spans"), spans);
    return o;
}

}  // namespace tai
