#pragma once

#include "fleet/queued_hand_off.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

namespace tai::fleet {

// A thread of ours for blocking fleet calls: jobs run one at a time, in the order posted, so no
// libnats round trip ever runs on a GUI (or engine) thread. The queue is bounded: when it is full a
// post fails at once, and the caller answers as if the fleet store were down.
class FleetIoThread {
public:
    explicit FleetIoThread(QString name, std::size_t capacity = 4096);
    ~FleetIoThread();  // jobs still queued are dropped (their futures report broken_promise)
    FleetIoThread(const FleetIoThread&) = delete;
    FleetIoThread& operator=(const FleetIoThread&) = delete;

    // Any thread. False when the queue is full or the thread is stopping.
    bool post(std::function<void()> job);

    // Runs `job` on this thread and hands its result to `callback` on `context`'s thread (dropped if
    // the context is gone by then). False, and nothing runs, when the queue is full.
    template <class Job, class Callback>
    bool submit(Job job, QObject* context, Callback callback) {
        auto handOff = std::make_shared<QueuedHandOff>(context);
        return post([job = std::move(job), callback = std::move(callback), handOff]() mutable {
            auto result = job();
            handOff->deliver([callback = std::move(callback), result = std::move(result)]() mutable {
                callback(std::move(result));
            });
        });
    }

    // Runs `job` on this thread; the future holds its result. nullopt when the queue is full.
    template <class Job>
    std::optional<std::future<std::invoke_result_t<Job&>>> submit(Job job) {
        using Result = std::invoke_result_t<Job&>;
        auto promise = std::make_shared<std::promise<Result>>();
        std::future<Result> future = promise->get_future();
        const bool posted = post([job = std::move(job), promise]() mutable {
            if constexpr (std::is_void_v<Result>) {
                job();
                promise->set_value();
            } else {
                promise->set_value(job());
            }
        });
        if (!posted) {
            return std::nullopt;
        }
        return future;
    }

    std::size_t pending() const;
    bool isCurrentThread() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
    // Shared with the thread, so that a thread detached from inside a job outlives this object safely.
    struct Queue {
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<std::function<void()>> jobs;
        bool stopping = false;
    };
    static void run(const std::shared_ptr<Queue>& queue, const QString& name);

    std::size_t capacity_;
    std::shared_ptr<Queue> queue_;
    std::thread thread_;
};

}  // namespace tai::fleet
