#pragma once

#include "base/clock.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace tai {

enum class BreakerState { Closed, Open, HalfOpen };

QString toString(BreakerState state);  // "closed", "open", "half_open"

struct BreakerConfig {
    int failureThreshold = 5;
    Duration recoveryTimeout = std::chrono::seconds(30);
    Duration maxRecoveryTimeout = std::chrono::seconds(300);
    int halfOpenMaxProbes = 3;
    int successThreshold = 3;
    Duration halfOpenMaxWait = std::chrono::seconds(60);
};

// One state change (or change of the forced flag), as audited and shown on the timeline (§6).
struct BreakerTransition {
    QString breaker;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    bool forced = false;
    QString reason;
    TimePoint at;
};

// The answer to "may I call the downstream now?". Hand it back with the call's result: results of
// calls admitted in an earlier state (for example before the breaker opened) are ignored.
struct BreakerPermit {
    bool allowed = false;
    bool probe = false;
    std::uint64_t generation = 0;
    Duration retryAfter{0};
};

struct BreakerStatus {
    QString name;
    BreakerState state = BreakerState::Closed;
    bool forced = false;
    int consecutiveFailures = 0;
    int failureThreshold = 0;
    Duration currentRecoveryTimeout{0};
    std::optional<TimePoint> halfOpenAt;  // when the open breaker will try half-open
    int probesInFlight = 0;
    int halfOpenMaxProbes = 0;
    int probeSuccesses = 0;
    int successThreshold = 0;
    std::uint64_t trips = 0;  // times it went to open
};

}  // namespace tai
