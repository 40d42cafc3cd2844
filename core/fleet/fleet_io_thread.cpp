#include "fleet/fleet_io_thread.h"

#include "fleet/fleet_connection.h"

#include <pthread.h>

namespace tai::fleet {

FleetIoThread::FleetIoThread(QString name, std::size_t capacity)
    : capacity_(capacity),
      queue_(std::make_shared<Queue>()),
      thread_([queue = queue_, name = std::move(name)] { run(queue, name); }) {}

FleetIoThread::~FleetIoThread() {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(queue_->mutex);
        queue_->stopping = true;
        dropped.swap(queue_->jobs);
    }
    queue_->wake.notify_all();
    if (isCurrentThread()) {
        thread_.detach();  // the last owner let go from inside a job: the loop ends on its own
    } else {
        thread_.join();
    }
}

bool FleetIoThread::post(std::function<void()> job) {
    {
        std::lock_guard lock(queue_->mutex);
        if (queue_->stopping || queue_->jobs.size() >= capacity_) {
            return false;
        }
        queue_->jobs.push_back(std::move(job));
    }
    queue_->wake.notify_one();
    return true;
}

std::size_t FleetIoThread::pending() const {
    std::lock_guard lock(queue_->mutex);
    return queue_->jobs.size();
}

void FleetIoThread::run(const std::shared_ptr<Queue>& queue, const QString& name) {
    const QByteArray threadName = name.left(15).toUtf8();  // the kernel keeps 15 characters
    pthread_setname_np(pthread_self(), threadName.constData());
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(queue->mutex);
            queue->wake.wait(lock, [&queue] { return queue->stopping || !queue->jobs.empty(); });
            if (queue->stopping) {
                break;
            }
            job = std::move(queue->jobs.front());
            queue->jobs.pop_front();
        }
        job();
    }
    FleetConnection::releaseThreadMemory();
}

}  // namespace tai::fleet
