#pragma once

#include "base/clock.h"

#include <cstdint>

namespace tai {

// Heijunka: a token bucket that levels calls to `ratePerSecond` with bursts up to `burst`.
// Integer arithmetic in micro-tokens keeps replays exact. Starts full. Not thread-safe.
class TokenBucket {
public:
    TokenBucket(double ratePerSecond, int burst, TimePoint start);

    bool tryTake(TimePoint now);
    // Time from `now` until one token is available (0 if one is there already).
    Duration timeUntilToken(TimePoint now);
    double fill(TimePoint now);  // tokens available, 0..burst

    void reconfigure(double ratePerSecond, int burst);
    double ratePerSecond() const { return static_cast<double>(rateMicroTokensPerUs_); }
    int burst() const { return burst_; }

private:
    void refill(TimePoint now);

    static constexpr std::int64_t kOne = 1'000'000;  // micro-tokens per token
    std::int64_t rateMicroTokensPerUs_;              // = tokens per second
    int burst_;
    std::int64_t microTokens_;
    TimePoint last_;
};

}  // namespace tai
