#pragma once

#include <QObject>

#include <functional>
#include <mutex>
#include <vector>

class QSocketNotifier;

namespace tai {

// Work handed to the engine thread from any thread. The work travels through a std::mutex inbox,
// so the hand-off is visible to ThreadSanitizer, and the wake-up is a write to an eventfd that a
// QSocketNotifier on the engine thread watches: nothing Qt allocates crosses threads. One wake-up
// drains everything queued before it, then runs `afterDrain` (the engine flushes staged work).
class EngineInbox : public QObject {
    Q_OBJECT
public:
    explicit EngineInbox(std::function<void()> afterDrain, QObject* parent = nullptr);
    ~EngineInbox() override;

    void post(std::function<void()> work);  // thread-safe
    void drain();                           // engine thread

private:
    std::function<void()> afterDrain_;
    std::mutex mutex_;
    std::vector<std::function<void()>> work_;
    int wakeFd_ = -1;
    QSocketNotifier* notifier_ = nullptr;
};

}  // namespace tai
