#pragma once

#include "base/clock.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <variant>

namespace tai {

enum class GatewayForcedOutcome { Ok, Error, Timeout };

// The optional "sim" block: forces the simulated gateway's answer for one signal (replay, tests).
struct SimOverride {
    std::optional<GatewayForcedOutcome> gateway;
    std::optional<std::int64_t> latencyMs;
};

// A validated payment signal (DESIGN.md §4.1).
struct PaymentSignal {
    QString id;  // empty until the caller assigns a generated one
    std::optional<QString> idempotencyKey;
    QString customerId;
    QString merchantId;
    std::int64_t amountMinor = 0;
    QString currency;
    std::optional<TimePoint> timestamp;
    std::optional<SimOverride> sim;
};

// A field-specific rejection: `field` is the key path, `message` says what is wrong.
struct SignalError {
    QString field;
    QString message;
    QString text() const { return field.isEmpty() ? message : field + QStringLiteral(": ") + message; }
};

using ParsedPayment = std::variant<PaymentSignal, SignalError>;

inline constexpr std::int64_t kMaxAmountMinor = 1'000'000'000LL * 100;  // 1 000 000 000.00
inline constexpr int kMaxSignalBytes = 64 * 1024;

// Validates one payment object. Unknown fields are ignored; the first invalid field (in the
// order of the §4.1 table) is reported.
ParsedPayment parsePaymentSignal(const QJsonObject& object);

// Parses raw JSON (an HTTP body or a replay line) into a payment, with size and syntax checks.
ParsedPayment parsePaymentJson(const QByteArray& json);

// Canonical body for idempotency conflicts (§4.4): customer, merchant, minor units, currency.
QByteArray canonicalPaymentHash(const PaymentSignal& signal);

}  // namespace tai
