#pragma once

#include "base/clock.h"
#include "base/timer_queue.h"

#include <mutex>

namespace tai {

// A clock that only moves when told to. advanceTo() fires every timer due on the way, in order,
// with now() set to each timer's due time while it runs (DESIGN.md §12).
class VirtualClock final : public Clock {
public:
    explicit VirtualClock(TimePoint start = TimePoint{});

    TimePoint now() const override;
    TimerId schedule(TimePoint due, std::function<void()> callback) override;
    void cancel(TimerId id) override;

    // Moves time forward to `target` (never back), firing due timers first. Returns timers fired.
    int advanceTo(TimePoint target);
    int advanceBy(Duration delta) { return advanceTo(now() + delta); }
    // Fires only the earliest pending timer, moving time to it. False when none is pending.
    bool step();

    std::size_t pendingTimers() const;
    std::optional<TimePoint> nextDue() const;

private:
    mutable std::mutex mutex_;
    TimePoint now_;
    TimerQueue timers_;
};

}  // namespace tai
