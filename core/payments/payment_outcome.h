#pragma once

#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace tai {

// Every outcome of §4.3. The order is the order of the counters everywhere.
enum class PaymentOutcome {
    Charged,
    Rejected,
    QueueFull,
    CircuitOpen,
    GatewayError,
    GatewayTimeout,
    Invalid,
    Duplicate,
    IdempotencyConflict,
};
inline constexpr int kPaymentOutcomeCount = 9;

// Counts per outcome, indexed by the enum.
using OutcomeCounts = std::array<std::uint64_t, kPaymentOutcomeCount>;

QString toString(PaymentOutcome outcome);
std::optional<PaymentOutcome> paymentOutcomeFromString(QStringView text);
int httpStatusFor(PaymentOutcome outcome);  // §10.2 mapping

// Outcomes under which a result is stored for its idempotency key (§4.4).
bool isStoredForIdempotency(PaymentOutcome outcome);

}  // namespace tai
