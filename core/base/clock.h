#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace tai {

// Engine time: microseconds since the Unix epoch. Microseconds resolve a 2000/s token bucket
// (500 µs per token) exactly, and the epoch base lets replay use signal timestamps directly.
using Duration = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Duration>;
using TimerId = std::uint64_t;

// Injected time. Nothing in core/ reads the wall clock except RealClock (DESIGN.md §3), which is
// what makes replay and scenarios deterministic and core tests sleep-free.
class Clock {
public:
    virtual ~Clock() = default;

    virtual TimePoint now() const = 0;

    // Runs `callback` on the clock's thread once now() >= `due`. Timers fire in (due, schedule order).
    virtual TimerId schedule(TimePoint due, std::function<void()> callback) = 0;
    virtual void cancel(TimerId id) = 0;

    TimerId scheduleAfter(Duration delay, std::function<void()> callback) {
        return schedule(now() + delay, std::move(callback));
    }
};

inline std::int64_t toEpochMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint fromEpochMs(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}
inline double toSeconds(Duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace tai
