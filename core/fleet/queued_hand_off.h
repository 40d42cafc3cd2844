#pragma once

#include <QObject>

#include <functional>
#include <memory>
#include <mutex>

namespace tai::fleet {

// The one guarded way from a worker thread back to a QObject's thread: deliver() queues `call` on
// `context`'s thread, or drops it once the context is gone. The context may be destroyed on its
// own thread at any moment; the mutex makes "still alive?" and "post" one step, and Qt removes
// events posted to an object when it is destroyed.
class QueuedHandOff {
public:
    explicit QueuedHandOff(QObject* context);
    ~QueuedHandOff();
    QueuedHandOff(const QueuedHandOff&) = delete;
    QueuedHandOff& operator=(const QueuedHandOff&) = delete;

    // Any thread. False when the context is gone.
    bool deliver(std::function<void()> call) const;

private:
    struct Target {
        std::mutex mutex;
        QObject* context = nullptr;
    };
    std::shared_ptr<Target> target_;
    QMetaObject::Connection destroyed_;
};

}  // namespace tai::fleet
