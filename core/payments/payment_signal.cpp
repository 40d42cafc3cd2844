#include "payments/payment_signal.h"

#include "base/json_text.h"
#include "base/money.h"
#include "base/rfc3339.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace tai {

namespace {

bool isIdentifierChar(QChar c) {
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' ||
           u == u'.' || u == u':' || u == u'-';
}

qsizetype codePoints(const QString& s) {
    return static_cast<qsizetype>(s.toUcs4().size());
}

std::optional<SignalError> checkIdentifier(const QJsonObject& object, const QString& field, QString& out) {
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull()) {
        return SignalError{field, QStringLiteral("required")};
    }
    if (!value.isString()) {
        return SignalError{field, QStringLiteral("must be a string")};
    }
    out = value.toString();
    if (out.isEmpty() || out.size() > 64) {
        return SignalError{field, QStringLiteral("must be 1-64 characters")};
    }
    for (const QChar c : out) {
        if (!isIdentifierChar(c)) {
            return SignalError{field, QStringLiteral("may only contain letters, digits and _ . : -")};
        }
    }
    return std::nullopt;
}

std::optional<SignalError> parseSim(const QJsonValue& value, std::optional<SimOverride>& out) {
    if (value.isUndefined() || value.isNull()) {
        return std::nullopt;
    }
    if (!value.isObject()) {
        return SignalError{QStringLiteral("sim"), QStringLiteral("must be an object")};
    }
    const QJsonObject sim = value.toObject();
    SimOverride result;
    const QJsonValue gateway = sim.value(QStringLiteral("gateway"));
    if (!gateway.isUndefined() && !gateway.isNull()) {
        const QString g = gateway.toString();
        if (g == u"ok") {
            result.gateway = GatewayForcedOutcome::Ok;
        } else if (g == u"error") {
            result.gateway = GatewayForcedOutcome::Error;
        } else if (g == u"timeout") {
            result.gateway = GatewayForcedOutcome::Timeout;
        } else {
            return SignalError{QStringLiteral("sim.gateway"),
                               QStringLiteral("must be \"ok\", \"error\" or \"timeout\"")};
        }
    }
    const QJsonValue latency = sim.value(QStringLiteral("latency_ms"));
    if (!latency.isUndefined() && !latency.isNull()) {
        const double ms = latency.toDouble(-1);
        if (!latency.isDouble() || ms < 0 || std::floor(ms) != ms || ms > 86'400'000.0) {
            return SignalError{QStringLiteral("sim.latency_ms"),
                               QStringLiteral("must be a whole number of milliseconds from 0 to 86400000")};
        }
        result.latencyMs = static_cast<std::int64_t>(ms);
    }
    out = result;
    return std::nullopt;
}

}  // namespace

ParsedPayment parsePaymentSignal(const QJsonObject& object) {
    PaymentSignal signal;

    const QJsonValue id = object.value(QStringLiteral("id"));
    if (!id.isUndefined() && !id.isNull()) {
        if (!id.isString()) {
            return SignalError{QStringLiteral("id"), QStringLiteral("must be a string")};
        }
        signal.id = id.toString();
        if (codePoints(signal.id) > 64) {
            return SignalError{QStringLiteral("id"), QStringLiteral("must be at most 64 characters")};
        }
    }

    const QJsonValue key = object.value(QStringLiteral("idempotency_key"));
    if (!key.isUndefined() && !key.isNull()) {
        if (!key.isString()) {
            return SignalError{QStringLiteral("idempotency_key"), QStringLiteral("must be a string")};
        }
        const QString k = key.toString();
        if (k.isEmpty() || k.size() > 255) {
            return SignalError{QStringLiteral("idempotency_key"), QStringLiteral("must be 1-255 characters")};
        }
        for (const QChar c : k) {
            if (c.unicode() < 0x20 || c.unicode() > 0x7e) {
                return SignalError{QStringLiteral("idempotency_key"),
                                   QStringLiteral("must be printable ASCII")};
            }
        }
        signal.idempotencyKey = k;
    }

    if (auto error = checkIdentifier(object, QStringLiteral("customer_id"), signal.customerId)) {
        return *error;
    }
    if (auto error = checkIdentifier(object, QStringLiteral("merchant_id"), signal.merchantId)) {
        return *error;
    }

    const QJsonValue amount = object.value(QStringLiteral("amount"));
    if (amount.isUndefined() || amount.isNull()) {
        return SignalError{QStringLiteral("amount"), QStringLiteral("required")};
    }
    const auto minor = parseMinorUnits(amount);
    if (!minor) {
        return SignalError{
            QStringLiteral("amount"),
            QStringLiteral("must be a decimal string like \"12.50\" or a number with at most 2 decimals")};
    }
    if (*minor <= 0) {
        return SignalError{QStringLiteral("amount"), QStringLiteral("must be greater than 0")};
    }
    if (*minor > kMaxAmountMinor) {
        return SignalError{QStringLiteral("amount"), QStringLiteral("must be at most 1000000000.00")};
    }
    signal.amountMinor = *minor;

    const QJsonValue currency = object.value(QStringLiteral("currency"));
    if (currency.isUndefined() || currency.isNull()) {
        return SignalError{QStringLiteral("currency"), QStringLiteral("required")};
    }
    signal.currency = currency.toString();
    const bool currencyShape = currency.isString() && signal.currency.size() == 3 &&
                               std::all_of(signal.currency.cbegin(), signal.currency.cend(), [](QChar c) {
                                   return c >= QLatin1Char('A') && c <= QLatin1Char('Z');
                               });
    if (!currencyShape) {
        return SignalError{QStringLiteral("currency"),
                           QStringLiteral("must be 3 uppercase letters (ISO 4217)")};
    }

    const QJsonValue timestamp = object.value(QStringLiteral("timestamp"));
    if (!timestamp.isUndefined() && !timestamp.isNull()) {
        if (timestamp.isString()) {
            signal.timestamp = parseRfc3339(timestamp.toString());
            if (!signal.timestamp) {
                return SignalError{
                    QStringLiteral("timestamp"),
                    QStringLiteral("must be an RFC 3339 date-time or integer epoch milliseconds")};
            }
        } else if (timestamp.isDouble()) {
            const double ms = timestamp.toDouble();
            if (!std::isfinite(ms) || std::floor(ms) != ms || ms < 0 || ms > 9.0e15) {
                return SignalError{
                    QStringLiteral("timestamp"),
                    QStringLiteral("must be an RFC 3339 date-time or integer epoch milliseconds")};
            }
            signal.timestamp = fromEpochMs(static_cast<std::int64_t>(ms));
        } else {
            return SignalError{QStringLiteral("timestamp"),
                               QStringLiteral("must be an RFC 3339 date-time or integer epoch milliseconds")};
        }
    }

    if (auto error = parseSim(object.value(QStringLiteral("sim")), signal.sim)) {
        return *error;
    }
    return signal;
}

ParsedPayment parsePaymentJson(const QByteArray& json) {
    if (json.size() > kMaxSignalBytes) {
        return SignalError{QString(), QStringLiteral("signal is larger than 64 KiB")};
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return SignalError{QString(), QStringLiteral("not valid JSON (") + describeJsonError(json, error) +
                                          QLatin1Char(')')};
    }
    if (!document.isObject()) {
        return SignalError{QString(), QStringLiteral("signal must be a JSON object")};
    }
    return parsePaymentSignal(document.object());
}

QByteArray canonicalPaymentHash(const PaymentSignal& signal) {
    QByteArray canonical;
    canonical.reserve(160);
    canonical += signal.customerId.toUtf8();
    canonical += '\x1f';
    canonical += signal.merchantId.toUtf8();
    canonical += '\x1f';
    canonical += QByteArray::number(static_cast<qlonglong>(signal.amountMinor));
    canonical += '\x1f';
    canonical += signal.currency.toLatin1();
    return QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex();
}

}  // namespace tai
