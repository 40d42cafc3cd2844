#include "payments/payment_json.h"

#include "signal/money.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace tai {

namespace {
QJsonObject responseObject(const PaymentResponse& r) {
    QJsonObject o{{QStringLiteral("status"), toString(r.outcome)},
                  {QStringLiteral("id"), r.id},
                  {QStringLiteral("trace_id"), r.traceId},
                  {QStringLiteral("processing_ms"), std::round(toSeconds(r.processing) * 1e6) / 1e3},
                  {QStringLiteral("breaker"), toString(r.breakerAfter)}};
    if (r.original) {
        o.insert(QStringLiteral("original"), toString(*r.original));
    }
    if (r.policyRan) {
        o.insert(QStringLiteral("score"), r.score);
        QJsonArray reasons;
        for (const QString& reason : r.reasons) {
            reasons.append(reason);
        }
        o.insert(QStringLiteral("reasons"), reasons);
    }
    if (!r.receiptId.isEmpty()) {
        o.insert(QStringLiteral("receipt_id"), r.receiptId);
    }
    if (!r.error.isEmpty()) {
        o.insert(QStringLiteral("error"), r.error);
    }
    if (r.retryAfter.count() > 0) {
        o.insert(QStringLiteral("retry_after_s"), std::ceil(toSeconds(r.retryAfter)));
    }
    return o;
}
}  // namespace

QByteArray paymentResponseJson(const PaymentResponse& r) {
    return QJsonDocument(responseObject(r)).toJson(QJsonDocument::Compact);
}

std::optional<PaymentResponse> paymentResponseFromJson(const QByteArray& json) {
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const auto outcome = paymentOutcomeFromString(o.value(QStringLiteral("status")).toString());
    if (!outcome) {
        return std::nullopt;
    }
    PaymentResponse r;
    r.outcome = *outcome;
    if (o.contains(QStringLiteral("original"))) {
        r.original = paymentOutcomeFromString(o.value(QStringLiteral("original")).toString());
    }
    r.id = o.value(QStringLiteral("id")).toString();
    r.traceId = o.value(QStringLiteral("trace_id")).toString();
    r.policyRan = o.contains(QStringLiteral("score"));
    r.score = o.value(QStringLiteral("score")).toInt();
    for (const QJsonValue& v : o.value(QStringLiteral("reasons")).toArray()) {
        r.reasons.push_back(v.toString());
    }
    r.receiptId = o.value(QStringLiteral("receipt_id")).toString();
    r.error = o.value(QStringLiteral("error")).toString();
    r.processing =
        Duration(static_cast<std::int64_t>(o.value(QStringLiteral("processing_ms")).toDouble() * 1000));
    const QString breaker = o.value(QStringLiteral("breaker")).toString();
    r.breakerAfter = breaker == u"open"        ? BreakerState::Open
                     : breaker == u"half_open" ? BreakerState::HalfOpen
                                               : BreakerState::Closed;
    return r;
}

QByteArray decisionAuditJson(const PaymentSignal& s, const PaymentResponse& r) {
    QJsonObject o = responseObject(r);
    if (!s.customerId.isEmpty()) {
        o.insert(QStringLiteral("customer_id"), s.customerId);
        o.insert(QStringLiteral("merchant_id"), s.merchantId);
        o.insert(QStringLiteral("amount"), formatMinorUnits(s.amountMinor));
        o.insert(QStringLiteral("currency"), s.currency);
    }
    if (s.idempotencyKey) {
        o.insert(QStringLiteral("idempotency_key"), *s.idempotencyKey);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

}  // namespace tai
