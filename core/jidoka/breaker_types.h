#pragma once

#include "base/clock.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace tai {

enum class BreakerState { Closed, Open, HalfOpen };

QString toString(BreakerState state);  // "closed", "open", "half_open"

// Who decides what the breaker lets through (§6 operator controls). Automatic: its rules.
// Forced: the operator holds a state (force open, half-open or closed). MetricsOnly: the rules
// run in the shadow (they count, trip and probe, and their transitions are emitted, marked
// shadow) but every call is let through. Disabled: no counting, every call is let through.
enum class BreakerOperatorState { Automatic, Forced, MetricsOnly, Disabled };

QString toString(BreakerOperatorState state);  // "automatic", "forced", "metrics_only", "disabled"

// The rule that opens a closed breaker. Consecutive: failure_threshold failures in a row (§6).
// SlidingWindow: the failure rate or the slow-call rate over the last calls or seconds reaches
// its threshold, as Resilience4j's sliding windows do.
enum class BreakerMode { Consecutive, SlidingWindow };
enum class BreakerWindowType { Count, Time };

QString toString(BreakerMode mode);              // "consecutive", "sliding_window"
QString toString(BreakerWindowType windowType);  // "count", "time"

struct BreakerConfig {
    BreakerMode mode = BreakerMode::Consecutive;
    int failureThreshold = 5;  // consecutive mode
    // sliding_window mode: the window holds the results of calls made while closed.
    BreakerWindowType windowType = BreakerWindowType::Count;
    int windowSize = 100;    // calls (count) or seconds (time)
    int minimumCalls = 100;  // no rate is judged on fewer calls (a count window caps it at its size)
    double failureRateThreshold = 50;                      // percent
    Duration slowCallDuration = std::chrono::seconds(60);  // a call that takes longer is slow
    double slowCallRateThreshold = 100;                    // percent
    // both modes
    Duration recoveryTimeout = std::chrono::seconds(30);
    Duration maxRecoveryTimeout = std::chrono::seconds(300);
    int halfOpenMaxProbes = 3;  // in flight at once
    int halfOpenMaxCalls = 0;   // trial calls in one half-open period; 0: no limit
    int successThreshold = 3;
    Duration halfOpenMaxWait = std::chrono::seconds(60);

    bool operator==(const BreakerConfig&) const = default;
};

// One change of state or of who decides, as audited and shown on the timeline (§6). `from` and
// `to` are what the breaker lets through (a metrics-only or disabled breaker is closed), except
// for a shadow transition: a metrics-only breaker's rules moving, which are the rules' states.
struct BreakerTransition {
    QString breaker;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    bool forced = false;  // operatorState == Forced
    QString reason;       // names the rule that fired, or carries the operator's command
    TimePoint at;
    BreakerOperatorState operatorState = BreakerOperatorState::Automatic;  // after the change
    bool shadow = false;  // what the rules of a metrics-only breaker would have done; nothing blocked
};

// The answer to "may I call the downstream now?". Hand it back with the call's result: results of
// calls admitted in an earlier state (for example before the breaker opened) are ignored.
struct BreakerPermit {
    bool allowed = false;
    bool probe = false;
    std::uint64_t generation = 0;
    Duration retryAfter{0};
    bool shadowed = false;  // metrics only: the rules would have refused it; its result is ignored
};

struct BreakerStatus {
    QString name;
    BreakerState state = BreakerState::Closed;  // what it lets through now
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

    BreakerOperatorState operatorState = BreakerOperatorState::Automatic;
    BreakerState ruleState = BreakerState::Closed;  // its rules' state: differs from `state` only
                                                    // while metrics-only
    std::uint64_t shadowTrips = 0;                  // metrics only: times its rules went to open
    std::uint64_t shadowRejected = 0;               // metrics only: calls its rules would have refused
    int halfOpenCalls = 0;                          // trial calls admitted in this half-open period
    int halfOpenMaxCalls = 0;                       // 0: no limit

    BreakerMode mode = BreakerMode::Consecutive;
    BreakerWindowType windowType = BreakerWindowType::Count;
    int windowSize = 0;  // calls or seconds
    int minimumCalls = 0;
    int callsInWindow = 0;
    int failuresInWindow = 0;
    int slowCallsInWindow = 0;
    std::optional<double> failureRate;   // percent; empty below minimumCalls (or when consecutive)
    std::optional<double> slowCallRate;  // percent; likewise
    double failureRateThreshold = 0;
    double slowCallRateThreshold = 0;
    Duration slowCallDuration{0};
};

}  // namespace tai
