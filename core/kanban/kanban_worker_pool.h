#pragma once

#include "kanban/kanban_queue.h"

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace tai {

// A fixed pool of threads pulling from one KanbanQueue. Each worker calls the handler, then
// done(), so the queue's WIP limit bounds concurrent work. Stops (and joins) on destruction.
template <typename T>
class KanbanWorkerPool {
public:
    using Handler = std::function<void(T&)>;

    // `onThreadStart` runs first on each worker thread (to name it, or lower its priority).
    KanbanWorkerPool(KanbanQueue<T>& queue, int workers, Handler handler,
                     std::function<void()> onThreadStart = {})
        : queue_(queue), handler_(std::move(handler)), busy_(0) {
        threads_.reserve(static_cast<std::size_t>(workers));
        for (int i = 0; i < workers; ++i) {
            threads_.emplace_back([this, onThreadStart](std::stop_token stop) {
                if (onThreadStart) {
                    onThreadStart();
                }
                run(stop);
            });
        }
    }
    ~KanbanWorkerPool() { stop(); }
    KanbanWorkerPool(const KanbanWorkerPool&) = delete;
    KanbanWorkerPool& operator=(const KanbanWorkerPool&) = delete;

    void stop() {
        for (auto& thread : threads_) {
            thread.request_stop();
        }
        threads_.clear();  // jthread joins
    }

    int workerCount() const { return static_cast<int>(threads_.size()); }
    int busyWorkers() const { return busy_.load(std::memory_order_relaxed); }

private:
    void run(std::stop_token stop) {
        while (!stop.stop_requested()) {
            auto item = queue_.pull(stop);
            if (!item) {
                continue;
            }
            busy_.fetch_add(1, std::memory_order_relaxed);
            handler_(*item);
            busy_.fetch_sub(1, std::memory_order_relaxed);
            queue_.done();
        }
    }

    KanbanQueue<T>& queue_;
    Handler handler_;
    std::atomic<int> busy_;
    std::vector<std::jthread> threads_;
};

}  // namespace tai
