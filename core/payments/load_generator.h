#pragma once

#include "base/clock.h"
#include "base/seeded_random.h"
#include "payments/payment_signal.h"

#include <functional>

namespace tai {

struct LoadProfile {
    int paymentsPerSecond = 0;
    double fraudsterShare = 0.01;
    int customers = 500;
};

// Deterministic generated payment traffic for the demo, headless mode and scenarios. Legitimate
// customers pay in their home currency at modest amounts; a `fraudsterShare` of payments come
// from blacklisted customers or carry over-limit amounts. The customer pool is widened to at least
// 5 minutes of traffic, so a customer picked uniformly pays about once in five minutes and stays
// well under the velocity limit (5 per minute). At 30 s a customer paid twice a minute, and
// Poisson bursts above 5 made 4 % of honest payments velocity rejections: fraud_rate (2 %)
// fired on the demo after 90 s.
class LoadGenerator {
public:
    static constexpr int kPoolSeconds = 300;

    explicit LoadGenerator(std::uint64_t seed);

    void setProfile(const LoadProfile& profile, TimePoint now);
    const LoadProfile& profile() const { return profile_; }

    // Emits the payments due between the previous call and `now`.
    int generate(TimePoint now, const std::function<void(PaymentSignal)>& emit);

    PaymentSignal next(TimePoint now);

private:
    std::uint64_t seed_;
    SeededRandom random_;
    LoadProfile profile_;
    TimePoint last_;
    double carry_ = 0;
    std::uint64_t counter_ = 0;
};

}  // namespace tai
