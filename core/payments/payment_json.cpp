#include "payments/payment_json.h"

#include "base/json_text.h"
#include "base/money.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace tai {

namespace {
// Written by hand rather than through QJsonObject: this runs for every decision on the engine
// thread, and building a CBOR-backed object per decision cost more than the rest of the
// pipeline. Keys come out in QJsonDocument's (sorted) order and numbers in its format, so the
// bytes are what QJsonDocument would write.
void appendKey(QByteArray& out, const char* key) {
    out.append(out.size() > 1 ? ",\"" : "\"").append(key).append("\":");
}

void appendString(QByteArray& out, const char* key, QStringView value) {
    appendKey(out, key);
    appendJsonString(out, value);
}

void appendNumber(QByteArray& out, const char* key, double value) {
    appendKey(out, key);
    out.append(QByteArray::number(value, 'g', QLocale::FloatingPointShortest));
}

QByteArray writeResponse(const PaymentResponse& r, const PaymentSignal* s) {
    QByteArray out;
    out.reserve(384);
    out.append('{');
    const bool withSignal = s != nullptr && !s->customerId.isEmpty();
    if (withSignal) {
        appendString(out, "amount", formatMinorUnits(s->amountMinor));
    }
    appendString(out, "breaker", toString(r.breakerAfter));
    if (withSignal) {
        appendString(out, "currency", s->currency);
        appendString(out, "customer_id", s->customerId);
    }
    if (!r.error.isEmpty()) {
        appendString(out, "error", r.error);
    }
    appendString(out, "id", r.id);
    if (s != nullptr && s->idempotencyKey) {
        appendString(out, "idempotency_key", *s->idempotencyKey);
    }
    if (withSignal) {
        appendString(out, "merchant_id", s->merchantId);
    }
    if (r.original) {
        appendString(out, "original", toString(*r.original));
    }
    appendNumber(out, "processing_ms", std::round(toSeconds(r.processing) * 1e6) / 1e3);
    if (r.policyRan) {
        appendKey(out, "reasons");
        out.append('[');
        for (std::size_t i = 0; i < r.reasons.size(); ++i) {
            if (i > 0) {
                out.append(',');
            }
            appendJsonString(out, r.reasons[i]);
        }
        out.append(']');
    }
    if (!r.receiptId.isEmpty()) {
        appendString(out, "receipt_id", r.receiptId);
    }
    if (r.retryAfter.count() > 0) {
        appendNumber(out, "retry_after_s", std::ceil(toSeconds(r.retryAfter)));
    }
    if (r.policyRan) {
        appendKey(out, "score");
        out.append(QByteArray::number(r.score));
    }
    appendString(out, "status", r.commitPending ? QStringLiteral("pending") : toString(r.outcome));
    appendString(out, "trace_id", r.traceId);
    out.append('}');
    return out;
}
}  // namespace

QByteArray paymentResponseJson(const PaymentResponse& r) {
    return writeResponse(r, nullptr);
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
    return writeResponse(r, &s);
}

}  // namespace tai
