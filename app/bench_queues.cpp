// The queue comparison of `bench`: our Kanban queue against moodycamel's blocking queue, the same
// items between one producer and one consumer. Ours carries its items through moodycamel's
// ConcurrentQueue, so the ratio is the price of what Kanban adds on top: the capacity and its
// shedding, the WIP limit, the counters and the wake-ups.
#include "bench_rigs.h"

#include "kanban/kanban_queue.h"

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace tai::app {

namespace {
using Wall = std::chrono::steady_clock;

double secondsSince(Wall::time_point start) {
    return std::chrono::duration<double>(Wall::now() - start).count();
}
}  // namespace

namespace {
double kanbanHandoffs(std::uint64_t items) {
    // The admission queue's shape: bounded, a WIP limit, the consumer reports done().
    KanbanQueue<std::uint64_t> queue(4096, 4096);
    std::uint64_t sum = 0;
    const auto start = Wall::now();
    std::jthread consumer([&](std::stop_token stop) {
        for (std::uint64_t i = 0; i < items; ++i) {
            sum += *queue.pull(stop);
            queue.done();
        }
    });
    for (std::uint64_t i = 0; i < items; ++i) {
        std::uint64_t item = i;
        while (!queue.tryPush(std::move(item))) {
            std::this_thread::yield();  // full: a producer of ours sheds; here it retries
        }
    }
    consumer.join();
    return static_cast<double>(items) / secondsSince(start);
}

double moodycamelHandoffs(std::uint64_t items) {
    moodycamel::BlockingConcurrentQueue<std::uint64_t> queue;
    std::uint64_t sum = 0;
    const auto start = Wall::now();
    std::jthread consumer([&] {
        std::uint64_t item = 0;
        for (std::uint64_t i = 0; i < items; ++i) {
            queue.wait_dequeue(item);
            sum += item;
        }
    });
    for (std::uint64_t i = 0; i < items; ++i) {
        queue.enqueue(i);
    }
    consumer.join();
    return static_cast<double>(items) / secondsSince(start);
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}
}  // namespace

QueueRun measureQueues(double seconds) {
    // Thread hand-offs swing with scheduling, so each queue runs five rounds, interleaved, and
    // the median counts.
    const auto items = static_cast<std::uint64_t>(700'000 * std::max(0.5, seconds));
    std::vector<double> kanban;
    std::vector<double> moodycamel;
    for (int round = 0; round < 5; ++round) {
        kanban.push_back(kanbanHandoffs(items));
        moodycamel.push_back(moodycamelHandoffs(items));
    }
    return QueueRun{median(kanban), median(moodycamel)};
}

}  // namespace tai::app
