#pragma once

#include "kanban/spin_lock.h"

#include <cstddef>
#include <mutex>
#include <optional>

// GCC warns (-Wtsan) that ThreadSanitizer does not model std::atomic_thread_fence, which
// moodycamel orders its slots with. The tsan build is covered below instead.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
#include <concurrentqueue/concurrentqueue.h>
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

#if defined(__SANITIZE_THREAD__)
#define TAI_KANBAN_TSAN_VISIBLE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TAI_KANBAN_TSAN_VISIBLE 1
#endif
#endif

namespace tai {

// One FIFO through moodycamel::ConcurrentQueue (Debian libconcurrentqueue-dev): a single
// explicit producer token, so the order is global, not per producer thread, and no push looks
// its producer up. push() and pushAll() take turns (the KanbanQueue calls them under its
// producer lock), from any thread; pop() is safe from any number of threads at once.
//
// ThreadSanitizer does not see the fences that hand each slot from producer to consumer, so in
// a tsan build every call into the library holds one mutex: TSan then sees each hand-off, and
// the KanbanQueue's own counters, WIP limit and wake-ups around it run and are checked as in
// every other build. Only the library's inside is taken on trust there.
template <typename T>
class MoodycamelFifo {
public:
    MoodycamelFifo() : queue_(kInitialSlots), producer_(queue_) {}

    bool push(T&& item) {
        const Guard guard(*this);
        return queue_.enqueue(producer_, std::move(item));
    }

    template <typename MoveIterator>
    bool pushAll(MoveIterator first, std::size_t count) {
        const Guard guard(*this);
        return queue_.enqueue_bulk(producer_, first, count);
    }

    std::optional<T> pop() {
        std::optional<T> item(std::in_place);
        const Guard guard(*this);
        if (!queue_.try_dequeue_from_producer(producer_, *item)) {
            return std::nullopt;
        }
        return item;
    }

private:
    // Blocks are allocated as the depth first grows and reused after; this many are ready at once.
    static constexpr std::size_t kInitialSlots = 2 * moodycamel::ConcurrentQueueDefaultTraits::BLOCK_SIZE;

#if defined(TAI_KANBAN_TSAN_VISIBLE)
    struct Guard {
        explicit Guard(MoodycamelFifo& fifo) : lock(fifo.tsanVisible_) {}
        std::lock_guard<std::mutex> lock;
    };
    std::mutex tsanVisible_;
#else
    struct Guard {
        explicit Guard(MoodycamelFifo&) {}
    };
#endif

    moodycamel::ConcurrentQueue<T> queue_;
    moodycamel::ProducerToken producer_;
};

}  // namespace tai
