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

QString toString(BreakerOperatorState state) {
    switch (state) {
        case BreakerOperatorState::Automatic:
            return QStringLiteral("automatic");
        case BreakerOperatorState::Forced:
            return QStringLiteral("forced");
        case BreakerOperatorState::MetricsOnly:
            return QStringLiteral("metrics_only");
        case BreakerOperatorState::Disabled:
            return QStringLiteral("disabled");
    }
    return {};
}

QString toString(BreakerMode mode) {
    return mode == BreakerMode::SlidingWindow ? QStringLiteral("sliding_window")
                                              : QStringLiteral("consecutive");
}

QString toString(BreakerWindowType windowType) {
    return windowType == BreakerWindowType::Time ? QStringLiteral("time") : QStringLiteral("count");
}

namespace {
QString seconds(Duration d) {
    return QString::number(toSeconds(d), 'g', 6) + QLatin1Char('s');
}

QString milliseconds(Duration d) {
    return QString::number(std::chrono::duration<double, std::milli>(d).count(), 'g', 9) +
           QStringLiteral(" ms");
}

QString percent(double value) {
    QString text = QString::number(value, 'f', 1);
    if (text.endsWith(QStringLiteral(".0"))) {
        text.chop(2);
    }
    return text + QStringLiteral(" %");
}

double rateOf(int part, int calls) {
    return calls == 0 ? 0 : 100.0 * part / calls;
}

// A metrics-only or disabled breaker lets everything through; what it counts starts afresh
// whenever the operator moves it into or out of those states.
bool letsEverythingThrough(BreakerOperatorState s) {
    return s == BreakerOperatorState::MetricsOnly || s == BreakerOperatorState::Disabled;
}
}  // namespace

CircuitBreaker::CircuitBreaker(QString name, BreakerConfig config, Clock& clock)
    : name_(std::move(name)), clock_(clock) {
    setConfig(config);
}

CircuitBreaker::~CircuitBreaker() {
    cancelTimers();
}

void CircuitBreaker::setConfig(const BreakerConfig& config) {
    // A live policy edit keeps what the window holds unless its shape changes.
    const bool windowChanged = config.mode != config_.mode || config.windowType != config_.windowType ||
                               config.windowSize != config_.windowSize;
    config_ = config;
    if (windowChanged) {
        if (config_.mode == BreakerMode::SlidingWindow) {
            window_.configure(config_.windowType, config_.windowSize);
        } else {
            window_ = BreakerWindow{};
        }
    }
}

BreakerState CircuitBreaker::state() const {
    return letsEverythingThrough(operator_) ? BreakerState::Closed : state_;
}

bool CircuitBreaker::rulesDecide() const {
    return operator_ == BreakerOperatorState::Automatic || operator_ == BreakerOperatorState::MetricsOnly;
}

BreakerPermit CircuitBreaker::tryAcquire() {
    if (state_ == BreakerState::Closed) {
        return {true, false, generation_, 0us};
    }
    BreakerPermit permit{false, false, generation_, 0us};
    if (state_ == BreakerState::Open) {
        permit.retryAfter =
            halfOpenAt_ ? std::max(Duration{0}, *halfOpenAt_ - clock_.now()) : backedOffTimeout();
    } else {
        const int maxCalls =
            config_.halfOpenMaxCalls > 0 ? std::max(config_.halfOpenMaxCalls, config_.successThreshold) : 0;
        if (probesInFlight_ >= config_.halfOpenMaxProbes || (maxCalls > 0 && halfOpenCalls_ >= maxCalls)) {
            permit.retryAfter = 1s;
        } else {
            ++halfOpenCalls_;
            if (probesInFlight_++ == 0) {
                armWatchdog();
            }
            permit.allowed = true;
            permit.probe = true;
        }
    }
    if (!permit.allowed && operator_ == BreakerOperatorState::MetricsOnly) {
        ++shadowRejected_;
        return {true, false, generation_, 0us, true};
    }
    return permit;
}

void CircuitBreaker::onSuccess(const BreakerPermit& permit, Duration duration) {
    onResult(permit, false, duration);
}

void CircuitBreaker::onFailure(const BreakerPermit& permit, Duration duration) {
    onResult(permit, true, duration);
}

void CircuitBreaker::onResult(const BreakerPermit& permit, bool failed, Duration duration) {
    if (!permit.allowed || permit.shadowed || permit.generation != generation_ ||
        operator_ == BreakerOperatorState::Disabled) {
        return;  // admitted under an earlier state, or by a rule that was not asked: says nothing now
    }
    const bool slow = config_.mode == BreakerMode::SlidingWindow && duration > config_.slowCallDuration;
    if (state_ == BreakerState::Closed) {
        judgeClosed(failed, slow);
    } else if (state_ == BreakerState::HalfOpen && permit.probe) {
        judgeProbe(failed, slow, duration);
    }
}

void CircuitBreaker::judgeClosed(bool failed, bool slow) {
    if (operator_ == BreakerOperatorState::Forced) {
        if (!failed) {
            consecutiveFailures_ = 0;
        }
        return;  // forced closed: the operator has taken the breaker out of the loop
    }
    consecutiveFailures_ = failed ? consecutiveFailures_ + 1 : 0;
    if (config_.mode == BreakerMode::Consecutive) {
        if (consecutiveFailures_ >= config_.failureThreshold) {
            openAutomatically(QString::number(consecutiveFailures_) + QStringLiteral(" consecutive failures"),
                              false);
        }
        return;
    }
    const TimePoint now = clock_.now();
    window_.record(failed, slow, now);
    const BreakerWindow::Totals in = window_.totals(now);
    if (in.calls < effectiveMinimumCalls()) {
        return;  // too few calls to judge a rate by
    }
    const QString over =
        QStringLiteral(" over ") + (config_.windowType == BreakerWindowType::Count
                                        ? QString::number(in.calls) + QStringLiteral(" calls")
                                        : QString::number(config_.windowSize) + QStringLiteral(" s"));
    const double failureRate = rateOf(in.failures, in.calls);
    if (failureRate >= config_.failureRateThreshold) {
        openAutomatically(QStringLiteral("failure rate ") + percent(failureRate) + QStringLiteral(" ≥ ") +
                              percent(config_.failureRateThreshold) + over,
                          false);
        return;
    }
    const double slowRate = rateOf(in.slowCalls, in.calls);
    if (slowRate >= config_.slowCallRateThreshold) {
        openAutomatically(QStringLiteral("slow-call rate ") + percent(slowRate) + QStringLiteral(" ≥ ") +
                              percent(config_.slowCallRateThreshold) + over,
                          false);
    }
}

void CircuitBreaker::judgeProbe(bool failed, bool slow, Duration duration) {
    --probesInFlight_;
    if (failed) {
        openAutomatically(QStringLiteral("probe failed"), true);
        return;
    }
    if (slow) {  // a downstream that answers slowly has not recovered by this breaker's rules
        openAutomatically(QStringLiteral("probe slow: ") + milliseconds(duration) + QStringLiteral(" > ") +
                              milliseconds(config_.slowCallDuration),
                          true);
        return;
    }
    if (++probeSuccesses_ >= config_.successThreshold) {
        reopenCount_ = 0;
        transition(BreakerState::Closed, rulesDecide() ? operator_ : BreakerOperatorState::Automatic,
                   QString::number(probeSuccesses_) + QStringLiteral(" consecutive successful probes"));
        return;
    }
    armWatchdog();
}

void CircuitBreaker::forceOpen(const QString& reason) {
    cancelTimers();
    halfOpenAt_.reset();
    transition(BreakerState::Open, BreakerOperatorState::Forced, reason);
}

void CircuitBreaker::forceHalfOpen(const QString& reason) {
    // Skips the wait, then the normal probe rules decide: successes close, a failure re-opens.
    cancelTimers();
    halfOpenAt_.reset();
    transition(BreakerState::HalfOpen, BreakerOperatorState::Forced, reason);
}

void CircuitBreaker::forceClosed(const QString& reason) {
    cancelTimers();
    halfOpenAt_.reset();
    reopenCount_ = 0;
    transition(BreakerState::Closed, BreakerOperatorState::Forced, reason);
}

void CircuitBreaker::metricsOnly(const QString& reason) {
    if (operator_ == BreakerOperatorState::MetricsOnly) {
        return;
    }
    // The shadow rules start from closed with nothing counted, as a breaker that just closed.
    cancelTimers();
    halfOpenAt_.reset();
    reopenCount_ = 0;
    transition(BreakerState::Closed, BreakerOperatorState::MetricsOnly, reason);
}

void CircuitBreaker::disable(const QString& reason) {
    if (operator_ == BreakerOperatorState::Disabled) {
        return;
    }
    cancelTimers();
    halfOpenAt_.reset();
    reopenCount_ = 0;
    transition(BreakerState::Closed, BreakerOperatorState::Disabled, reason);
}

void CircuitBreaker::release(const QString& reason) {
    switch (operator_) {
        case BreakerOperatorState::Automatic:
            return;
        case BreakerOperatorState::Forced:
            // Back to automatic. A forced-open breaker was isolated by a person, not tripped by
            // failures, so there is no evidence to wait out a recovery timeout for: it goes
            // half-open and probes, and the §6 probe rules close it or re-open it with backoff.
            transition(state_ == BreakerState::Open ? BreakerState::HalfOpen : state_,
                       BreakerOperatorState::Automatic, reason);
            return;
        case BreakerOperatorState::MetricsOnly:
        case BreakerOperatorState::Disabled:
            // Enforcing starts from closed with nothing counted: the shadow's evidence was not
            // acted on, and a still-failing downstream trips the rules again within their window.
            cancelTimers();
            halfOpenAt_.reset();
            reopenCount_ = 0;
            transition(BreakerState::Closed, BreakerOperatorState::Automatic, reason);
            return;
    }
}

BreakerStatus CircuitBreaker::status() const {
    BreakerStatus s;
    s.name = name_;
    s.state = state();
    s.forced = isForced();
    s.consecutiveFailures = consecutiveFailures_;
    s.failureThreshold = config_.failureThreshold;
    s.currentRecoveryTimeout = backedOffTimeout();
    s.halfOpenAt = halfOpenAt_;
    s.probesInFlight = probesInFlight_;
    s.halfOpenMaxProbes = config_.halfOpenMaxProbes;
    s.probeSuccesses = probeSuccesses_;
    s.successThreshold = config_.successThreshold;
    s.trips = trips_;
    s.operatorState = operator_;
    s.ruleState = state_;
    s.shadowTrips = shadowTrips_;
    s.shadowRejected = shadowRejected_;
    s.halfOpenCalls = halfOpenCalls_;
    s.halfOpenMaxCalls = config_.halfOpenMaxCalls;
    s.mode = config_.mode;
    s.windowType = config_.windowType;
    s.windowSize = config_.windowSize;
    s.minimumCalls = effectiveMinimumCalls();
    s.failureRateThreshold = config_.failureRateThreshold;
    s.slowCallRateThreshold = config_.slowCallRateThreshold;
    s.slowCallDuration = config_.slowCallDuration;
    if (config_.mode == BreakerMode::SlidingWindow) {
        const BreakerWindow::Totals in = window_.totals(clock_.now());
        s.callsInWindow = in.calls;
        s.failuresInWindow = in.failures;
        s.slowCallsInWindow = in.slowCalls;
        if (in.calls >= s.minimumCalls) {
            s.failureRate = rateOf(in.failures, in.calls);
            s.slowCallRate = rateOf(in.slowCalls, in.calls);
        }
    }
    return s;
}

int CircuitBreaker::effectiveMinimumCalls() const {
    // As Resilience4j: a count window can never hold more calls than its size.
    return config_.windowType == BreakerWindowType::Count ? std::min(config_.minimumCalls, config_.windowSize)
                                                          : config_.minimumCalls;
}

void CircuitBreaker::transition(BreakerState to, BreakerOperatorState by, const QString& reason) {
    const BreakerState ruleFrom = state_;
    const BreakerState enforcedFrom = state();
    const BreakerOperatorState operatorFrom = operator_;
    const bool shadowMove = by == BreakerOperatorState::MetricsOnly && operatorFrom == by;
    const bool freshCount =
        to != ruleFrom ||
        (by != operatorFrom && (letsEverythingThrough(by) || letsEverythingThrough(operatorFrom)));
    if (freshCount) {
        ++generation_;  // results of calls admitted before this point no longer count
        consecutiveFailures_ = 0;
        probesInFlight_ = 0;
        probeSuccesses_ = 0;
        halfOpenCalls_ = 0;
        window_.clear();
        if (to != BreakerState::HalfOpen && watchdogTimer_ != 0) {
            clock_.cancel(watchdogTimer_);
            watchdogTimer_ = 0;
        }
    }
    if (to == BreakerState::Open && (shadowMove ? ruleFrom : enforcedFrom) != BreakerState::Open) {
        ++(shadowMove ? shadowTrips_ : trips_);
    }
    if (to != BreakerState::Open) {
        halfOpenAt_.reset();
    }
    state_ = to;
    operator_ = by;
    const BreakerState from = shadowMove ? ruleFrom : enforcedFrom;
    const BreakerState now = shadowMove ? to : state();
    if ((from != now || by != operatorFrom) && listener_) {
        listener_(BreakerTransition{name_, from, now, isForced(), reason, clock_.now(), by, shadowMove});
    }
}

void CircuitBreaker::openAutomatically(const QString& reason, bool backoff) {
    if (backoff) {
        ++reopenCount_;
    }
    transition(BreakerState::Open,
               operator_ == BreakerOperatorState::MetricsOnly ? operator_ : BreakerOperatorState::Automatic,
               reason);
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
        if (state_ == BreakerState::Open && rulesDecide()) {
            transition(BreakerState::HalfOpen, operator_,
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
