#include "payment_key_rows.h"

#include "payments/payment_json.h"
#include "payments/payment_outcome.h"
#include "signal/money.h"
#include "signal/payment_signal.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tai::app {

namespace {
bool isHexDigest(const QByteArray& hash) {
    if (hash.size() != 64) {
        return false;
    }
    for (const char c : hash) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}
}  // namespace

QString validatePaymentKeyRow(const IdempotencyRow& row) {
    if (!isHexDigest(row.canonicalHash)) {
        return QStringLiteral("the request hash is not 64 hex digits");
    }
    const auto response = paymentResponseFromJson(row.response);
    if (!response) {
        return QStringLiteral("the stored response is not a payment response");
    }
    if (!isStoredForIdempotency(response->outcome)) {
        return QStringLiteral("the stored response's outcome, %1, is never stored")
            .arg(toString(response->outcome));
    }
    return {};
}

std::optional<IdempotencyRow> paymentKeyFromDecision(const AuditRow& row) {
    if (row.kind != u"decision") {
        return std::nullopt;
    }
    const QJsonObject payload = QJsonDocument::fromJson(row.payload).object();
    const QString key = payload.value(QStringLiteral("idempotency_key")).toString();
    const auto response = paymentResponseFromJson(row.payload);
    if (key.isEmpty() || !response || !isStoredForIdempotency(response->outcome)) {
        return std::nullopt;
    }
    PaymentSignal signal;
    signal.customerId = payload.value(QStringLiteral("customer_id")).toString();
    signal.merchantId = payload.value(QStringLiteral("merchant_id")).toString();
    signal.currency = payload.value(QStringLiteral("currency")).toString();
    const QString amountText = payload.value(QStringLiteral("amount")).toString();
    const auto amount = parseMinorUnits(QStringView(amountText));
    if (signal.customerId.isEmpty() || signal.merchantId.isEmpty() || signal.currency.isEmpty() || !amount) {
        return std::nullopt;
    }
    signal.amountMinor = *amount;
    return IdempotencyRow{key, canonicalPaymentHash(signal), paymentResponseJson(*response), row.atMs};
}

}  // namespace tai::app
