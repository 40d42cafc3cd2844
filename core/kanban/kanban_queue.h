#pragma once

#include "kanban/moodycamel_fifo.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
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
//
// The items travel through moodycamel's lock-free queue (MoodycamelFifo), in one global FIFO
// order. What makes it Kanban is kept here in counters that each side writes on its own cache
// line: producers own `enqueued_`, consumers own `pulled_` (a consumer takes its WIP slot and the
// item's place in one compare-and-swap before it dequeues) and `finished_`. A producer reads the
// consumers' count only when its cached copy says the queue is full, so an uncontended hand-off
// costs the library's enqueue and dequeue plus three uncontended atomic operations. For the
// instant between a consumer's slot and its dequeue, the queue may hold one item more per such
// consumer than its capacity. Consumers that find nothing to pull spin briefly (adaptively), then
// sleep; a producer wakes one only if one sleeps.
template <typename T>
class KanbanQueue {
public:
    KanbanQueue(std::size_t capacity, std::size_t wipLimit) : capacity_(capacity), wipLimit_(wipLimit) {}
    KanbanQueue(const KanbanQueue&) = delete;
    KanbanQueue& operator=(const KanbanQueue&) = delete;

    // Moves from `item` only when it is accepted, so a shed item is still the caller's.
    bool tryPush(T&& item) {
        {
            const std::lock_guard producer(producer_);
            const std::uint64_t enqueued = enqueued_.load(std::memory_order_relaxed);
            if (roomLocked(enqueued, 1) == 0 || !items_.push(std::move(item))) {
                shed_.store(shed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                return false;
            }
            enqueued_.store(enqueued + 1, std::memory_order_seq_cst);  // publishes it; see wake()
            noteDepthLocked(enqueued + 1);
        }
        wake(1);
        return true;
    }

    // Batch handoff: one library call and at most one wake-up for many items. Accepts from the
    // front of `items` while there is room and clears it; returns how many were accepted (the rest
    // shed).
    std::size_t tryPushAll(std::vector<T>& items) {
        std::size_t accepted = 0;
        {
            const std::lock_guard producer(producer_);
            const std::uint64_t enqueued = enqueued_.load(std::memory_order_relaxed);
            accepted = static_cast<std::size_t>(
                std::min<std::uint64_t>(items.size(), roomLocked(enqueued, items.size())));
            if (accepted > 0 && !items_.pushAll(std::make_move_iterator(items.begin()), accepted)) {
                accepted = 0;
            }
            enqueued_.store(enqueued + accepted, std::memory_order_seq_cst);
            shed_.store(shed_.load(std::memory_order_relaxed) + (items.size() - accepted),
                        std::memory_order_relaxed);
            noteDepthLocked(enqueued + accepted);
        }
        items.clear();
        wake(accepted);
        return accepted;
    }

    // Work that may skip the queue: when nothing waits and WIP allows, the caller takes a WIP
    // slot directly (counted as accepted and in progress; finish with done()). FIFO order holds
    // because this never passes a waiting item. It counts as pushed and pulled at once.
    bool tryStartDirectly() {
        if (depth() != 0 || capacity_.load(std::memory_order_relaxed) == 0 || !reserveWip()) {
            return false;
        }
        const std::lock_guard producer(producer_);
        enqueued_.store(enqueued_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
        return true;
    }

    // Undoes a tryStartDirectly() whose work did not start after all (it queues instead).
    void cancelStart() {
        {
            const std::lock_guard producer(producer_);
            enqueued_.store(enqueued_.load(std::memory_order_relaxed) - 1, std::memory_order_release);
        }
        pulled_.fetch_sub(1, std::memory_order_seq_cst);
    }

    // Non-blocking pull; empty when the queue is empty or the WIP limit is reached.
    std::optional<T> tryPull() {
        if (!reserveWip()) {
            return std::nullopt;
        }
        std::optional<T> item = items_.pop();
        if (!item) {
            pulled_.fetch_sub(1, std::memory_order_seq_cst);  // nothing there: give the slot back
            // A consumer that looked while this slot was held saw one item fewer and may have
            // gone to sleep on an item that arrived meanwhile.
            if (sleepers_.load(std::memory_order_seq_cst) > 0 && canPull()) {
                notify(1);
            }
        }
        return item;
    }

    // Blocking pull for worker threads; empty when stop is requested.
    std::optional<T> pull(std::stop_token stop) {
        for (;;) {
            if (std::optional<T> item = tryPull()) {
                // Pass the wake-up on: one consumer is woken per push burst, and while it works
                // on this item a sleeping one may take the next.
                if (sleepers_.load(std::memory_order_seq_cst) > 0 && canPull()) {
                    notify(1);
                }
                return item;
            }
            if (stop.stop_requested()) {
                return std::nullopt;
            }
            if (waitBriefly()) {
                continue;
            }
            std::unique_lock lock(sleep_);
            sleepers_.fetch_add(1, std::memory_order_seq_cst);
            // Every look for work takes the wake-up in flight, before it looks: a wake-up whose
            // item another consumer took must not keep the next push from waking anyone.
            wakeUp_.wait(lock, stop, [this] {
                wakeSent_.store(false, std::memory_order_seq_cst);
                return canPull();
            });
            sleepers_.fetch_sub(1, std::memory_order_seq_cst);
        }
    }

    // Takes the next waiting item regardless of the WIP limit, for draining a halted line (its
    // items are cancelled, not worked on, so they never count as in progress).
    std::optional<T> tryPullIgnoringWip() {
        std::optional<T> item = items_.pop();
        if (item) {
            drained_.fetch_add(1, std::memory_order_seq_cst);
        }
        return item;
    }

    void done() {
        const std::uint64_t finishedBefore = finished_.fetch_add(1, std::memory_order_seq_cst);
        // Only a consumer held back by the WIP limit waits for this.
        if (sleepers_.load(std::memory_order_seq_cst) > 0 &&
            pulled_.load(std::memory_order_seq_cst) - finishedBefore >= wipLimit_ && depth() > 0) {
            notify(1);
        }
    }

    void setCapacity(std::size_t capacity) { capacity_.store(capacity, std::memory_order_relaxed); }

    KanbanCounters counters() const {
        KanbanCounters c;
        const std::uint64_t finished = finished_.load(std::memory_order_acquire);
        const std::uint64_t taken = taken_();
        const std::uint64_t enqueued = enqueued_.load(std::memory_order_acquire);
        const std::uint64_t pulled = pulled_.load(std::memory_order_acquire);
        c.depth = static_cast<std::size_t>(enqueued - std::min(enqueued, taken));
        c.capacity = capacity_.load(std::memory_order_relaxed);
        c.inProgress = static_cast<std::size_t>(pulled - std::min(pulled, finished));
        c.wipLimit = wipLimit_;
        c.accepted = enqueued;
        c.shed = shed_.load(std::memory_order_relaxed);
        c.completed = finished;
        c.highWater = highWater_.load(std::memory_order_relaxed);
        return c;
    }
    std::size_t depth() const {
        const std::uint64_t taken = taken_();
        const std::uint64_t enqueued = enqueued_.load(std::memory_order_seq_cst);
        return static_cast<std::size_t>(enqueued - std::min(enqueued, taken));
    }
    bool canPull() const { return depth() > 0 && inProgress() < wipLimit_; }
    // Consumers asleep in pull() (not those spinning), for the board and for tests.
    int waitingConsumers() const { return sleepers_.load(std::memory_order_seq_cst); }

private:
    // A full spin is a few tens of microseconds on an idle machine: kPauses pauses, then yields.
    static constexpr int kPauses = 256;
    static constexpr int kMaxSpin = kPauses + 64;
    static constexpr int kMinSpin = 16;
    static constexpr std::size_t kCacheLine = 64;

    static void relax() {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }

    // In a busy hand-off the next item is microseconds away, and sleeping and being woken costs
    // more than that (moodycamel's own blocking queue spins first, too). Spin, then yield: on a
    // busy machine the producer is often waiting for a core, and a yield may hand it this one.
    // Adaptive, as glibc's adaptive mutexes: the spin doubles each time it pays off and halves
    // each time it ends in sleep anyway, so consumers fed in bursts (the engine's confirmation
    // workers between two flushes) soon stop burning the cores the producer needs.
    bool waitBriefly() {
        const int limit = spinLimit_.load(std::memory_order_relaxed);
        for (int spin = 0; spin < limit; ++spin) {
            if (canPull()) {
                spinLimit_.store(std::min(kMaxSpin, limit * 2), std::memory_order_relaxed);
                return true;
            }
            if (spin < kPauses) {
                relax();
            } else {
                std::this_thread::yield();
            }
        }
        spinLimit_.store(std::max(kMinSpin, limit / 2), std::memory_order_relaxed);
        return canPull();
    }

    // Items that left the queue, or whose place a consumer holds.
    std::uint64_t taken_() const {
        return pulled_.load(std::memory_order_seq_cst) + drained_.load(std::memory_order_seq_cst);
    }

    std::uint64_t inProgress() const {
        const std::uint64_t finished = finished_.load(std::memory_order_seq_cst);
        const std::uint64_t pulled = pulled_.load(std::memory_order_seq_cst);
        return pulled - std::min(pulled, finished);
    }

    // Free places, as far as `wanted` needs to know. The consumers' count is read again only
    // when the cached one says there is not enough room.
    std::uint64_t roomLocked(std::uint64_t enqueued, std::size_t wanted) {
        const std::uint64_t capacity = capacity_.load(std::memory_order_relaxed);
        const auto room = [&] {
            const std::uint64_t depth = enqueued - std::min(enqueued, cachedTaken_);
            return depth >= capacity ? 0 : capacity - depth;
        };
        if (room() < wanted) {
            cachedTaken_ = taken_();
        }
        return room();
    }

    void noteDepthLocked(std::uint64_t enqueued) {
        // The cached consumer count makes this an upper bound; the true depth is looked up only
        // when the bound would raise the high-water mark.
        if (enqueued - std::min(enqueued, cachedTaken_) <= highWater_.load(std::memory_order_relaxed)) {
            return;
        }
        cachedTaken_ = taken_();
        const std::uint64_t depth = enqueued - std::min(enqueued, cachedTaken_);
        if (depth > highWater_.load(std::memory_order_relaxed)) {
            highWater_.store(depth, std::memory_order_relaxed);
        }
    }

    bool reserveWip() {
        std::uint64_t pulled = pulled_.load(std::memory_order_relaxed);
        for (;;) {
            if (pulled - std::min(pulled, finished_.load(std::memory_order_relaxed)) >= wipLimit_) {
                return false;
            }
            if (pulled_.compare_exchange_weak(pulled, pulled + 1, std::memory_order_seq_cst,
                                              std::memory_order_relaxed)) {
                return true;
            }
        }
    }

    // A producer's side of the sleep hand-shake: it published its items (a seq_cst store) before
    // this load, and a consumer counts itself a sleeper before it checks for items, so one of the
    // two always sees the other.
    void wake(std::size_t items) {
        if (items == 0 || sleepers_.load(std::memory_order_seq_cst) == 0 || inProgress() >= wipLimit_) {
            return;  // a futex wake-up costs microseconds; skip it when nobody sleeps
        }
        notify(items);
    }

    void notify(std::size_t items) {
        // One wake-up per sleep: a woken consumer takes tens of microseconds to get going, and a
        // producer that woke it again on every push meanwhile would spend its time in futex
        // calls. A sleeper clears the flag each time it looks for work (after it counted itself a
        // sleeper and before it checks, so a skipped wake-up always has one in flight that will
        // look after this push), and a woken consumer passes the wake-up on if items remain.
        if (wakeSent_.exchange(true, std::memory_order_seq_cst)) {
            return;
        }
        { const std::lock_guard lock(sleep_); }  // a sleeper between its check and its wait is now waiting
        if (items == 1) {
            wakeUp_.notify_one();
        } else {
            wakeUp_.notify_all();
        }
    }

    MoodycamelFifo<T> items_;
    std::atomic<std::size_t> capacity_;
    const std::size_t wipLimit_;

    // Each group on its own cache line, so a spinning consumer reading `enqueued_` does not pull
    // the producer's lock away from it, and the two sides do not share a line they both write.
    // producers' own
    alignas(kCacheLine) SpinLock producer_;
    std::uint64_t cachedTaken_ = 0;  // under producer_
    std::atomic<std::uint64_t> shed_{0};
    std::atomic<std::uint64_t> highWater_{0};
    // written by producers, read by consumers
    alignas(kCacheLine) std::atomic<std::uint64_t> enqueued_{0};  // pushed and directly started, ever
    // consumers' side
    alignas(kCacheLine) std::atomic<std::uint64_t> pulled_{0};  // pulled and directly started, ever
    std::atomic<std::uint64_t> finished_{0};
    std::atomic<std::uint64_t> drained_{0};
    // sleeping consumers
    alignas(kCacheLine) std::atomic<int> sleepers_{0};
    std::atomic<int> spinLimit_{kMinSpin};
    std::atomic<bool> wakeSent_{false};
    std::mutex sleep_;
    std::condition_variable_any wakeUp_;
};

}  // namespace tai
