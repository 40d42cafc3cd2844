#include "payments/load_generator.h"

#include <algorithm>
#include <cmath>

namespace tai {

namespace {
const QString kCurrencies[] = {QStringLiteral("USD"), QStringLiteral("USD"), QStringLiteral("USD"),
                               QStringLiteral("EUR"), QStringLiteral("GBP"), QStringLiteral("JPY")};
}

LoadGenerator::LoadGenerator(std::uint64_t seed) : seed_(seed), random_(seed ^ 0x5eedULL) {}

void LoadGenerator::setProfile(const LoadProfile& profile, TimePoint now) {
    profile_ = profile;
    last_ = now;
    carry_ = 0;
}

PaymentSignal LoadGenerator::next(TimePoint now) {
    PaymentSignal s;
    ++counter_;
    s.id = QStringLiteral("gen-%1-%2").arg(seed_).arg(counter_);
    s.merchantId = QStringLiteral("merc_%1").arg(random_.below(40) + 1);
    s.timestamp = now;
    const int pool = std::max(profile_.customers, profile_.paymentsPerSecond * kPoolSeconds);
    const std::uint64_t customer = random_.below(static_cast<std::uint64_t>(std::max(1, pool)));
    s.customerId = QStringLiteral("cust_%1").arg(customer);
    s.currency = kCurrencies[customer % std::size(kCurrencies)];
    s.amountMinor = 500 + static_cast<std::int64_t>(random_.below(49'500));  // 5.00 .. 499.99
    if (random_.uniform() < profile_.fraudsterShare) {
        if (random_.uniform() < 0.5) {
            s.customerId = QStringLiteral("cust_666");
        } else {
            s.amountMinor = 750'000 + static_cast<std::int64_t>(random_.below(1'000'000));
        }
    }
    return s;
}

int LoadGenerator::generate(TimePoint now, const std::function<void(PaymentSignal)>& emit) {
    if (now <= last_ || profile_.paymentsPerSecond <= 0) {
        last_ = std::max(last_, now);
        return 0;
    }
    // Catch up at most 50 ms: when the engine is saturated, a tick that made up for all the time
    // the previous one took would grow without bound and starve snapshots and commands. The
    // throughput KPI then shows the rate actually achieved, not the one asked for.
    const double elapsed = std::min(0.05, toSeconds(now - last_));
    last_ = now;
    carry_ += elapsed * profile_.paymentsPerSecond;
    const int due = static_cast<int>(std::floor(carry_));
    carry_ -= due;
    for (int i = 0; i < due; ++i) {
        emit(next(now));
    }
    return due;
}

}  // namespace tai
