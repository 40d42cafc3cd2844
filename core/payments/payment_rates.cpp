#include "payments/payment_rates.h"

namespace tai {

namespace {
std::uint64_t n(const OutcomeCounts& c, PaymentOutcome o) {
    return c[static_cast<std::size_t>(o)];
}

}  // namespace

KpiRates computeRates(const OutcomeCounts& c, int minSamples) {
    using O = PaymentOutcome;
    const std::uint64_t charged = n(c, O::Charged);
    const std::uint64_t failed = n(c, O::GatewayError) + n(c, O::GatewayTimeout);
    const std::uint64_t approved = charged + failed + n(c, O::CircuitOpen) + n(c, O::QueueFull);
    KpiRates rates;
    rates.success = rateOf(charged, approved, minSamples);
    rates.reject = rateOf(n(c, O::Rejected), approved + n(c, O::Rejected), minSamples);
    rates.error = rateOf(failed, charged + failed, minSamples);
    return rates;
}

}  // namespace tai
