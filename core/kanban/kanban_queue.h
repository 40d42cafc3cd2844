#pragma once

#include "kanban/ring_buffer.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <vector>

namespace tai {

struct KanbanCounters {
    std::size_t depth = 0;  // waiting items
    std::size_t capacity = 0;
    std::size_t inProgress = 0;  // pulled, not yet done()
    std::size_t wipLimit = 0;
    std::uint64_t accepted = 0;
    std::uint64_t shed = 0;  // refused because the queue was full
    std::uint64_t completed = 0;
    std::uint64_t highWater = 0;
};

// Kanban: a bounded pull queue with a work-in-progress limit. Producers never block: a full queue
// sheds (an outcome, not an exception). Consumers pull only while fewer than wipLimit items are in
// progress, and report done() when an item is finished. Thread-safe; usable without threads too.
template <typename T>
class KanbanQueue {
public:
    KanbanQueue(std::size_t capacity, std::size_t wipLimit) : capacity_(capacity), wipLimit_(wipLimit) {}

    // Moves from `item` only when it is accepted, so a shed item is still the caller's.
    bool tryPush(T&& item) {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            if (items_.size() >= capacity_) {
                ++shed_;
                return false;
            }
            items_.push_back(std::move(item));
            ++accepted_;
            highWater_ = std::max<std::uint64_t>(highWater_, items_.size());
            wake = waiting_ > 0;
        }
        if (wake) {  // a futex wake-up costs microseconds; skip it when nobody sleeps
            available_.notify_one();
        }
        return true;
    }

    // Batch handoff: one lock and at most one wake-up for many items. Accepts from the front of
    // `items` while there is room and clears it; returns how many were accepted (the rest shed).
    std::size_t tryPushAll(std::vector<T>& items) {
        std::size_t accepted = 0;
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            for (T& item : items) {
                if (items_.size() >= capacity_) {
                    ++shed_;
                    continue;
                }
                items_.push_back(std::move(item));
                ++accepted;
            }
            accepted_ += accepted;
            highWater_ = std::max<std::uint64_t>(highWater_, items_.size());
            wake = waiting_ > 0 && accepted > 0;
        }
        items.clear();
        if (wake) {
            available_.notify_all();
        }
        return accepted;
    }

    // Work that may skip the queue: when nothing waits and WIP allows, the caller takes a WIP
    // slot directly (counted as accepted and in progress; finish with done()). FIFO order holds
    // because this never passes a waiting item. One lock instead of a push and a pull.
    bool tryStartDirectly() {
        std::lock_guard lock(mutex_);
        if (!items_.empty() || inProgress_ >= wipLimit_ || capacity_ == 0) {
            return false;
        }
        ++inProgress_;
        ++accepted_;
        return true;
    }

    // Undoes a tryStartDirectly() whose work did not start after all (it queues instead).
    void cancelStart() {
        std::lock_guard lock(mutex_);
        --inProgress_;
        --accepted_;
    }

    // Non-blocking pull; empty when the queue is empty or the WIP limit is reached.
    std::optional<T> tryPull() {
        std::lock_guard lock(mutex_);
        return pullLocked();
    }

    // Blocking pull for worker threads; empty when stop is requested.
    std::optional<T> pull(std::stop_token stop) {
        std::unique_lock lock(mutex_);
        ++waiting_;
        available_.wait(lock, stop, [this] { return !items_.empty() && inProgress_ < wipLimit_; });
        --waiting_;
        return pullLocked();
    }

    // Takes the next waiting item regardless of the WIP limit, for draining a halted line (its
    // items are cancelled, not worked on, so they never count as in progress).
    std::optional<T> tryPullIgnoringWip() {
        std::lock_guard lock(mutex_);
        if (items_.empty()) {
            return std::nullopt;
        }
        T item = std::move(items_.front());
        items_.pop_front();
        return item;
    }

    void done() {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            --inProgress_;
            ++completed_;
            wake = waiting_ > 0 && !items_.empty();
        }
        if (wake) {
            available_.notify_one();
        }
    }

    void setCapacity(std::size_t capacity) {
        std::lock_guard lock(mutex_);
        capacity_ = capacity;
    }

    KanbanCounters counters() const {
        std::lock_guard lock(mutex_);
        return {items_.size(), capacity_, inProgress_, wipLimit_, accepted_, shed_, completed_, highWater_};
    }
    std::size_t depth() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    bool canPull() const {
        std::lock_guard lock(mutex_);
        return !items_.empty() && inProgress_ < wipLimit_;
    }

private:
    std::optional<T> pullLocked() {
        if (items_.empty() || inProgress_ >= wipLimit_) {
            return std::nullopt;
        }
        T item = std::move(items_.front());
        items_.pop_front();
        ++inProgress_;
        return item;
    }

    mutable std::mutex mutex_;
    std::condition_variable_any available_;
    RingBuffer<T> items_;
    std::size_t capacity_;
    std::size_t wipLimit_;
    std::size_t inProgress_ = 0;
    int waiting_ = 0;  // consumers blocked in pull()
    std::uint64_t accepted_ = 0;
    std::uint64_t shed_ = 0;
    std::uint64_t completed_ = 0;
    std::uint64_t highWater_ = 0;
};

}  // namespace tai
