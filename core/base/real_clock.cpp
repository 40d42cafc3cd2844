#include "base/real_clock.h"

#include <algorithm>

namespace tai {

RealClock::RealClock(QObject* parent) : QObject(parent) {
    driver_.setSingleShot(true);
    driver_.setTimerType(Qt::PreciseTimer);
    connect(&driver_, &QTimer::timeout, this, &RealClock::fireDue);
}

TimePoint RealClock::now() const {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

Duration RealClock::monotonicNow() {
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch());
}

TimerId RealClock::schedule(TimePoint due, std::function<void()> callback) {
    const TimerId id = timers_.add(due, std::move(callback));
    rearm();
    return id;
}

void RealClock::cancel(TimerId id) {
    if (timers_.remove(id)) {
        rearm();
    }
}

void RealClock::fireDue() {
    const TimePoint limit = now();
    while (auto due = timers_.takeDue(limit)) {
        due->second();
    }
    rearm();
}

void RealClock::rearm() {
    const auto next = timers_.nextDue();
    if (!next) {
        driver_.stop();
        return;
    }
    // Round up: a timer due in 0.3 ms must not be polled in a 0 ms busy loop.
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - now());
    const auto ms = std::max<std::int64_t>(0, wait.count());
    if (!driver_.isActive() || driver_.remainingTime() > ms) {
        driver_.start(static_cast<int>(std::min<std::int64_t>(ms, 24LL * 3600 * 1000)));
    }
}

}  // namespace tai
