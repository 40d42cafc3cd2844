#pragma once

#include <atomic>
#include <thread>

namespace tai {

// A lock for a section of a few nanoseconds that is almost never contended (the producers' side
// of a KanbanQueue: there is one producer at a time in every user). Cheaper than a std::mutex
// there, and as visible to ThreadSanitizer as any atomic. Meets BasicLockable.
class SpinLock {
public:
    void lock() {
        while (locked_.exchange(true, std::memory_order_acquire)) {
            while (locked_.load(std::memory_order_relaxed)) {
                std::this_thread::yield();  // contended: another producer is mid-push
            }
        }
    }
    void unlock() { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

}  // namespace tai
