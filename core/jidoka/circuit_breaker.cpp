#include "jidoka/circuit_breaker.h"

#include <algorithm>

namespace tai {

using namespace std::chrono_literals;

QString toString(BreakerState state) {
    switch (state) {
        case BreakerState::Closed:
            return QStringLiteral("closed");
        case BreakerState::Open:
            return QStringLiteral("open");
        case BreakerState::HalfOpen:
            return QStringLiteral("half_open");
    }
    return {};
}

namespace {
QString seconds(Duration d) {
    return QString::number(toSeconds(d), 'g', 6) + QLatin1Char('s');
}
}  // namespace

CircuitBreaker::CircuitBreaker(QString name, BreakerConfig config, Clock& clock)
    : name_(std::move(name)), config_(config), clock_(clock) {}

CircuitBreaker::~CircuitBreaker() {
    cancelTimers();
}

BreakerPermit CircuitBreaker::tryAcquire() {
    switch (state_) {
        case BreakerState::Closed:
            return {true, false, generation_, 0us};
        case BreakerState::Open: {
            Duration retry =
                halfOpenAt_ ? std::max(Duration{0}, *halfOpenAt_ - clock_.now()) : backedOffTimeout();
            return {false, false, generation_, retry};
        }
        case BreakerState::HalfOpen:
            if (probesInFlight_ >= config_.halfOpenMaxProbes) {
                return {false, false, generation_, 1s};
            }
            if (probesInFlight_++ == 0) {
                armWatchdog();
            }
            return {true, true, generation_, 0us};
    }
    return {};
}

void CircuitBreaker::onSuccess(const BreakerPermit& permit) {
    if (!permit.allowed || permit.generation != generation_) {
        return;  // admitted under an earlier state: its result says nothing about now
    }
    if (state_ == BreakerState::Closed) {
        consecutiveFailures_ = 0;
        return;
    }
    if (state_ != BreakerState::HalfOpen || !permit.probe) {
        return;
    }
    --probesInFlight_;
    if (++probeSuccesses_ >= config_.successThreshold) {
        reopenCount_ = 0;
        transition(BreakerState::Closed, false,
                   QString::number(probeSuccesses_) + QStringLiteral(" consecutive successful probes"));
        return;
    }
    armWatchdog();
}

void CircuitBreaker::onFailure(const BreakerPermit& permit) {
    if (!permit.allowed || permit.generation != generation_) {
        return;
    }
    if (state_ == BreakerState::Closed) {
        if (forced_) {
            return;  // forced closed: the operator has taken the breaker out of the loop
        }
        if (++consecutiveFailures_ >= config_.failureThreshold) {
            openAutomatically(QString::number(consecutiveFailures_) + QStringLiteral(" consecutive failures"),
                              false);
        }
        return;
    }
    if (state_ == BreakerState::HalfOpen && permit.probe) {
        --probesInFlight_;
        openAutomatically(QStringLiteral("probe failed"), true);
    }
}

void CircuitBreaker::forceOpen(const QString& reason) {
    cancelTimers();
    halfOpenAt_.reset();
    transition(BreakerState::Open, true, reason);
}

void CircuitBreaker::forceHalfOpen(const QString& reason) {
    // Skips the wait, then the normal probe rules decide: successes close, a failure re-opens.
    cancelTimers();
    halfOpenAt_.reset();
    transition(BreakerState::HalfOpen, true, reason);
}

void CircuitBreaker::forceClosed(const QString& reason) {
    cancelTimers();
    halfOpenAt_.reset();
    reopenCount_ = 0;
    transition(BreakerState::Closed, true, reason);
}

void CircuitBreaker::release(const QString& reason) {
    if (!forced_) {
        return;
    }
    // Back to automatic. A forced-open breaker was isolated by a person, not tripped by failures,
    // so there is no failure to wait out a recovery timeout for: it goes half-open and probes,
    // and the §6 probe rules close it or re-open it with backoff.
    transition(state_ == BreakerState::Open ? BreakerState::HalfOpen : state_, false, reason);
}

BreakerStatus CircuitBreaker::status() const {
    BreakerStatus s;
    s.name = name_;
    s.state = state_;
    s.forced = forced_;
    s.consecutiveFailures = consecutiveFailures_;
    s.failureThreshold = config_.failureThreshold;
    s.currentRecoveryTimeout = backedOffTimeout();
    s.halfOpenAt = halfOpenAt_;
    s.probesInFlight = probesInFlight_;
    s.halfOpenMaxProbes = config_.halfOpenMaxProbes;
    s.probeSuccesses = probeSuccesses_;
    s.successThreshold = config_.successThreshold;
    s.trips = trips_;
    return s;
}

void CircuitBreaker::transition(BreakerState to, bool forced, const QString& reason) {
    const BreakerState from = state_;
    if (to != from) {
        ++generation_;  // results of calls admitted before this point no longer count
        consecutiveFailures_ = 0;
        probesInFlight_ = 0;
        probeSuccesses_ = 0;
        if (to == BreakerState::Open) {
            ++trips_;
        }
        if (to != BreakerState::HalfOpen && watchdogTimer_ != 0) {
            clock_.cancel(watchdogTimer_);
            watchdogTimer_ = 0;
        }
    }
    if (to != BreakerState::Open) {
        halfOpenAt_.reset();
    }
    const bool changed = to != from || forced != forced_;
    state_ = to;
    forced_ = forced;
    if (changed && listener_) {
        listener_(BreakerTransition{name_, from, to, forced, reason, clock_.now()});
    }
}

void CircuitBreaker::openAutomatically(const QString& reason, bool backoff) {
    if (backoff) {
        ++reopenCount_;
    }
    transition(BreakerState::Open, false, reason);
    armRecoveryTimer();
}

void CircuitBreaker::armRecoveryTimer() {
    if (recoveryTimer_ != 0) {
        clock_.cancel(recoveryTimer_);
    }
    const Duration timeout = backedOffTimeout();
    halfOpenAt_ = clock_.now() + timeout;
    recoveryTimer_ = clock_.schedule(*halfOpenAt_, [this, timeout] {
        recoveryTimer_ = 0;
        if (state_ == BreakerState::Open && !forced_) {
            transition(BreakerState::HalfOpen, false,
                       QStringLiteral("recovery timeout ") + seconds(timeout) + QStringLiteral(" elapsed"));
        }
    });
}

void CircuitBreaker::armWatchdog() {
    // A half-open breaker whose probes never answer would otherwise stay half-open forever.
    if (watchdogTimer_ != 0) {
        clock_.cancel(watchdogTimer_);
        watchdogTimer_ = 0;
    }
    if (probesInFlight_ == 0) {
        return;  // idle half-open stays half-open
    }
    watchdogTimer_ = clock_.scheduleAfter(config_.halfOpenMaxWait, [this] {
        watchdogTimer_ = 0;
        if (state_ == BreakerState::HalfOpen && probesInFlight_ > 0) {
            openAutomatically(QStringLiteral("no probe completed within ") + seconds(config_.halfOpenMaxWait),
                              true);
        }
    });
}

void CircuitBreaker::cancelTimers() {
    if (recoveryTimer_ != 0) {
        clock_.cancel(recoveryTimer_);
        recoveryTimer_ = 0;
    }
    if (watchdogTimer_ != 0) {
        clock_.cancel(watchdogTimer_);
        watchdogTimer_ = 0;
    }
}

Duration CircuitBreaker::backedOffTimeout() const {
    Duration timeout = config_.recoveryTimeout;
    for (int i = 0; i < reopenCount_ && timeout < config_.maxRecoveryTimeout; ++i) {
        timeout *= 2;
    }
    return std::min(timeout, config_.maxRecoveryTimeout);
}

}  // namespace tai
