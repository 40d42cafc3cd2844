#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace tai {

// Requests per second over the last ten whole seconds, for the console's status bar. One I/O
// thread counts; any thread reads. Relaxed atomics: a reading that races a second's rollover
// is off by a few requests for one refresh, which a status bar can afford.
class HttpRateWindow {
public:
    static constexpr int kSeconds = 10;

    void count(std::int64_t second) {
        Slot& slot = slots_[static_cast<std::size_t>(second) % slots_.size()];
        if (slot.second.load(std::memory_order_relaxed) != second) {
            slot.count.store(0, std::memory_order_relaxed);
            slot.second.store(second, std::memory_order_relaxed);
        }
        slot.count.store(slot.count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    // Requests in the ten whole seconds before `currentSecond`, divided by ten.
    double perSecond(std::int64_t currentSecond) const {
        std::uint64_t total = 0;
        for (const Slot& slot : slots_) {
            const std::int64_t second = slot.second.load(std::memory_order_relaxed);
            if (second < currentSecond && second >= currentSecond - kSeconds) {
                total += slot.count.load(std::memory_order_relaxed);
            }
        }
        return static_cast<double>(total) / kSeconds;
    }

private:
    struct Slot {
        std::atomic<std::int64_t> second{-1};
        std::atomic<std::uint64_t> count{0};
    };
    std::array<Slot, 16> slots_{};
};

}  // namespace tai
