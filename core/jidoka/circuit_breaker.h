#pragma once

#include "jidoka/breaker_types.h"
#include "jidoka/breaker_window.h"

#include <functional>

namespace tai {

// Jidoka: stop the line when the downstream fails, probe carefully, resume when it recovers.
// Complete to DESIGN.md §6, with a sliding-window mode (failure and slow-call rates) and the
// metrics-only and disabled operator states beside it. Owned and called by one thread (the
// engine's); its timers run on the injected clock, so the open → half_open move happens even
// with no traffic.
class CircuitBreaker {
public:
    using TransitionListener = std::function<void(const BreakerTransition&)>;

    CircuitBreaker(QString name, BreakerConfig config, Clock& clock);
    ~CircuitBreaker();
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    BreakerPermit tryAcquire();
    // `duration` is how long the call took; only a sliding-window breaker uses it (slow calls).
    void onSuccess(const BreakerPermit& permit, Duration duration = Duration{0});
    void onFailure(const BreakerPermit& permit, Duration duration = Duration{0});

    void forceOpen(const QString& reason);
    void forceHalfOpen(const QString& reason);
    void forceClosed(const QString& reason);
    void metricsOnly(const QString& reason);
    void disable(const QString& reason);
    void release(const QString& reason);

    void setTransitionListener(TransitionListener listener) { listener_ = std::move(listener); }
    void setConfig(const BreakerConfig& config);

    // Whether onSuccess/onFailure need the call's duration: callers skip the clock reads if not.
    bool judgesDurations() const { return config_.mode == BreakerMode::SlidingWindow; }

    const QString& name() const { return name_; }
    BreakerState state() const;  // what it lets through: closed while metrics-only or disabled
    bool isForced() const { return operator_ == BreakerOperatorState::Forced; }
    BreakerOperatorState operatorState() const { return operator_; }
    BreakerStatus status() const;

private:
    void onResult(const BreakerPermit& permit, bool failed, Duration duration);
    void judgeClosed(bool failed, bool slow);
    void judgeProbe(bool failed, bool slow, Duration duration);
    void transition(BreakerState to, BreakerOperatorState by, const QString& reason);
    void openAutomatically(const QString& reason, bool backoff);
    bool rulesDecide() const;
    void armRecoveryTimer();
    void armWatchdog();
    void cancelTimers();
    Duration backedOffTimeout() const;
    int effectiveMinimumCalls() const;

    QString name_;
    BreakerConfig config_;
    Clock& clock_;
    TransitionListener listener_;
    BreakerWindow window_;

    BreakerState state_ = BreakerState::Closed;  // the rules' state (the shadow one if metrics-only)
    BreakerOperatorState operator_ = BreakerOperatorState::Automatic;
    std::uint64_t generation_ = 1;
    int consecutiveFailures_ = 0;
    int reopenCount_ = 0;  // re-opens since the last close: drives the exponential backoff
    int probesInFlight_ = 0;
    int probeSuccesses_ = 0;
    int halfOpenCalls_ = 0;
    std::uint64_t trips_ = 0;
    std::uint64_t shadowTrips_ = 0;
    std::uint64_t shadowRejected_ = 0;
    std::optional<TimePoint> halfOpenAt_;
    TimerId recoveryTimer_ = 0;
    TimerId watchdogTimer_ = 0;
};

}  // namespace tai
