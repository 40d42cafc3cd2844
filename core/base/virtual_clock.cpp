#include "base/virtual_clock.h"

namespace tai {

VirtualClock::VirtualClock(TimePoint start) : now_(start) {}

TimePoint VirtualClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

TimerId VirtualClock::schedule(TimePoint due, std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    return timers_.add(due, std::move(callback));
}

void VirtualClock::cancel(TimerId id) {
    std::lock_guard lock(mutex_);
    timers_.remove(id);
}

int VirtualClock::advanceTo(TimePoint target) {
    int fired = 0;
    for (;;) {
        std::function<void()> callback;
        {
            std::lock_guard lock(mutex_);
            if (target < now_) {
                target = now_;
            }
            auto due = timers_.takeDue(target);
            if (!due) {
                now_ = target;
                return fired;
            }
            if (due->first > now_) {
                now_ = due->first;
            }
            callback = std::move(due->second);
        }
        // Run without the lock: callbacks schedule and cancel timers themselves.
        callback();
        ++fired;
    }
}

bool VirtualClock::step() {
    const auto due = nextDue();
    if (!due) {
        return false;
    }
    std::function<void()> callback;
    {
        std::lock_guard lock(mutex_);
        auto taken = timers_.takeDue(*due);
        if (!taken) {
            return false;
        }
        if (taken->first > now_) {
            now_ = taken->first;
        }
        callback = std::move(taken->second);
    }
    callback();
    return true;
}

std::size_t VirtualClock::pendingTimers() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
}

std::optional<TimePoint> VirtualClock::nextDue() const {
    std::lock_guard lock(mutex_);
    return timers_.nextDue();
}

}  // namespace tai
