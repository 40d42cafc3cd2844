#include "base/timer_queue.h"

namespace tai {

TimerId TimerQueue::add(TimePoint due, std::function<void()> callback) {
    const TimerId id = nextId_++;
    timers_.emplace(Key{due, id}, std::move(callback));
    dueById_.emplace(id, due);
    return id;
}

bool TimerQueue::remove(TimerId id) {
    const auto found = dueById_.find(id);
    if (found == dueById_.end()) {
        return false;
    }
    timers_.erase(Key{found->second, id});
    dueById_.erase(found);
    return true;
}

std::optional<TimePoint> TimerQueue::nextDue() const {
    if (timers_.empty()) {
        return std::nullopt;
    }
    return timers_.begin()->first.due;
}

std::optional<std::pair<TimePoint, std::function<void()>>> TimerQueue::takeDue(TimePoint limit) {
    if (timers_.empty() || timers_.begin()->first.due > limit) {
        return std::nullopt;
    }
    auto node = timers_.extract(timers_.begin());
    dueById_.erase(node.key().id);
    return std::make_pair(node.key().due, std::move(node.mapped()));
}

}  // namespace tai
