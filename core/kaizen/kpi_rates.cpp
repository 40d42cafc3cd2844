#include "kaizen/kpi_rates.h"

namespace tai {

namespace {
std::uint64_t n(const OutcomeCounts& c, PaymentOutcome o) {
    return c[static_cast<std::size_t>(o)];
}

Rate rate(std::uint64_t part, std::uint64_t whole, int minSamples) {
    Rate r;
    r.samples = whole;
    r.enoughData = whole >= static_cast<std::uint64_t>(minSamples) && whole > 0;
    r.value = whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0;
    return r;
}
}  // namespace

KpiRates computeRates(const OutcomeCounts& c, int minSamples) {
    using O = PaymentOutcome;
    const std::uint64_t charged = n(c, O::Charged);
    const std::uint64_t failed = n(c, O::GatewayError) + n(c, O::GatewayTimeout);
    const std::uint64_t approved = charged + failed + n(c, O::CircuitOpen) + n(c, O::QueueFull);
    KpiRates rates;
    rates.success = rate(charged, approved, minSamples);
    rates.reject = rate(n(c, O::Rejected), approved + n(c, O::Rejected), minSamples);
    rates.error = rate(failed, charged + failed, minSamples);
    return rates;
}

}  // namespace tai
