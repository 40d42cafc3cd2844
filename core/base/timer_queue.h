#pragma once

#include "base/clock.h"

#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

namespace tai {

// Ordered set of pending timers shared by VirtualClock and RealClock. Not thread-safe: each clock
// owns one and guards it as its threading model needs.
class TimerQueue {
public:
    TimerId add(TimePoint due, std::function<void()> callback);
    bool remove(TimerId id);

    std::optional<TimePoint> nextDue() const;
    // Removes and returns the earliest timer if it is due at or before `limit`.
    std::optional<std::pair<TimePoint, std::function<void()>>> takeDue(TimePoint limit);

    std::size_t size() const { return timers_.size(); }

private:
    struct Key {
        TimePoint due;
        TimerId id;  // ids grow, so equal due times fire in schedule order
        bool operator<(const Key& other) const { return due != other.due ? due < other.due : id < other.id; }
    };
    std::map<Key, std::function<void()>> timers_;
    std::unordered_map<TimerId, TimePoint> dueById_;
    TimerId nextId_ = 1;
};

}  // namespace tai
