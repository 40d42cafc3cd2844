#include "heijunka/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace tai {

TokenBucket::TokenBucket(double ratePerSecond, int burst, TimePoint start)
    : rateMicroTokensPerUs_(std::max<std::int64_t>(1, std::llround(ratePerSecond))),
      burst_(std::max(1, burst)),
      microTokens_(static_cast<std::int64_t>(burst_) * kOne),
      last_(start) {}

void TokenBucket::refill(TimePoint now) {
    if (now <= last_) {
        return;
    }
    const std::int64_t elapsedUs = (now - last_).count();
    const std::int64_t cap = static_cast<std::int64_t>(burst_) * kOne;
    // tokens/s × µs = micro-tokens; guard the multiplication against long idle gaps.
    if (elapsedUs >= cap / rateMicroTokensPerUs_ + 1) {
        microTokens_ = cap;
    } else {
        microTokens_ = std::min(cap, microTokens_ + elapsedUs * rateMicroTokensPerUs_);
    }
    last_ = now;
}

bool TokenBucket::tryTake(TimePoint now) {
    refill(now);
    if (microTokens_ < kOne) {
        return false;
    }
    microTokens_ -= kOne;
    return true;
}

Duration TokenBucket::timeUntilToken(TimePoint now) {
    refill(now);
    if (microTokens_ >= kOne) {
        return Duration{0};
    }
    const std::int64_t missing = kOne - microTokens_;
    return Duration{(missing + rateMicroTokensPerUs_ - 1) / rateMicroTokensPerUs_};
}

double TokenBucket::fill(TimePoint now) {
    refill(now);
    return static_cast<double>(microTokens_) / kOne;
}

void TokenBucket::reconfigure(double ratePerSecond, int burst) {
    rateMicroTokensPerUs_ = std::max<std::int64_t>(1, std::llround(ratePerSecond));
    burst_ = std::max(1, burst);
    microTokens_ = std::min(microTokens_, static_cast<std::int64_t>(burst_) * kOne);
}

}  // namespace tai
