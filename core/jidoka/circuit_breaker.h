#pragma once

#include "jidoka/breaker_types.h"

#include <functional>

namespace tai {

// Jidoka: stop the line when the downstream fails, probe carefully, resume when it recovers.
// Complete to DESIGN.md §6. Owned and called by one thread (the engine's); its timers run on the
// injected clock, so the open → half_open move happens even with no traffic.
class CircuitBreaker {
public:
    using TransitionListener = std::function<void(const BreakerTransition&)>;

    CircuitBreaker(QString name, BreakerConfig config, Clock& clock);
    ~CircuitBreaker();
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    BreakerPermit tryAcquire();
    void onSuccess(const BreakerPermit& permit);
    void onFailure(const BreakerPermit& permit);

    void forceOpen(const QString& reason);
    void forceHalfOpen(const QString& reason);
    void forceClosed(const QString& reason);
    void release(const QString& reason);

    void setTransitionListener(TransitionListener listener) { listener_ = std::move(listener); }
    void setConfig(const BreakerConfig& config) { config_ = config; }

    const QString& name() const { return name_; }
    BreakerState state() const { return state_; }
    bool isForced() const { return forced_; }
    BreakerStatus status() const;

private:
    void transition(BreakerState to, bool forced, const QString& reason);
    void openAutomatically(const QString& reason, bool backoff);
    void armRecoveryTimer();
    void armWatchdog();
    void cancelTimers();
    Duration backedOffTimeout() const;

    QString name_;
    BreakerConfig config_;
    Clock& clock_;
    TransitionListener listener_;

    BreakerState state_ = BreakerState::Closed;
    bool forced_ = false;
    std::uint64_t generation_ = 1;
    int consecutiveFailures_ = 0;
    int reopenCount_ = 0;  // re-opens since the last close: drives the exponential backoff
    int probesInFlight_ = 0;
    int probeSuccesses_ = 0;
    std::uint64_t trips_ = 0;
    std::optional<TimePoint> halfOpenAt_;
    TimerId recoveryTimer_ = 0;
    TimerId watchdogTimer_ = 0;
};

}  // namespace tai
