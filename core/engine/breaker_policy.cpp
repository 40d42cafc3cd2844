#include "engine/breaker_policy.h"

#include "policy/policy_reader.h"

namespace tai {

namespace {
constexpr int kMaxSeconds = 30 * 24 * 3600;
constexpr int kMaxCount = 1'000'000;
// A count window keeps a byte per call and a time window a bucket per second: these bound both.
constexpr int kMaxWindowCalls = 100'000;
constexpr int kMaxWindowSeconds = 3600;
constexpr int kMaxSlowCallMs = 3'600'000;
}  // namespace

void readBreakerPolicy(PolicyReader& r, BreakerConfig& b) {
    r.integer(QStringLiteral("failure_threshold"), b.failureThreshold, 1, kMaxCount);
    r.seconds(QStringLiteral("recovery_timeout_s"), b.recoveryTimeout, 1, kMaxSeconds);
    r.seconds(QStringLiteral("max_recovery_timeout_s"), b.maxRecoveryTimeout, 1, kMaxSeconds);
    r.integer(QStringLiteral("half_open_max_probes"), b.halfOpenMaxProbes, 1, kMaxCount);
    r.integer(QStringLiteral("success_threshold"), b.successThreshold, 1, kMaxCount);
    r.seconds(QStringLiteral("half_open_max_wait_s"), b.halfOpenMaxWait, 1, kMaxSeconds);
    if (b.maxRecoveryTimeout < b.recoveryTimeout) {
        r.error(QStringLiteral("max_recovery_timeout_s"),
                QStringLiteral("must be at least recovery_timeout_s"));
    }

    r.integer(QStringLiteral("half_open_max_calls"), b.halfOpenMaxCalls, 0, kMaxCount);
    if (b.halfOpenMaxCalls != 0 && b.halfOpenMaxCalls < b.successThreshold) {
        r.error(QStringLiteral("half_open_max_calls"),
                QStringLiteral("must be 0 (no limit) or at least success_threshold"));
    }

    QString mode = toString(b.mode);
    r.oneOf(QStringLiteral("mode"), mode,
            {toString(BreakerMode::Consecutive), toString(BreakerMode::SlidingWindow)});
    b.mode =
        mode == toString(BreakerMode::SlidingWindow) ? BreakerMode::SlidingWindow : BreakerMode::Consecutive;
    QString windowType = toString(b.windowType);
    r.oneOf(QStringLiteral("window_type"), windowType,
            {toString(BreakerWindowType::Count), toString(BreakerWindowType::Time)});
    b.windowType =
        windowType == toString(BreakerWindowType::Time) ? BreakerWindowType::Time : BreakerWindowType::Count;
    r.integer(QStringLiteral("window_size"), b.windowSize, 1,
              b.windowType == BreakerWindowType::Time ? kMaxWindowSeconds : kMaxWindowCalls);
    r.integer(QStringLiteral("minimum_calls"), b.minimumCalls, 1, kMaxCount);
    r.number(QStringLiteral("failure_rate_threshold"), b.failureRateThreshold, 1, 100);
    int slowCallMs =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(b.slowCallDuration).count());
    r.integer(QStringLiteral("slow_call_duration_ms"), slowCallMs, 1, kMaxSlowCallMs);
    b.slowCallDuration = std::chrono::milliseconds(slowCallMs);
    r.number(QStringLiteral("slow_call_rate_threshold"), b.slowCallRateThreshold, 1, 100);
}

}  // namespace tai
