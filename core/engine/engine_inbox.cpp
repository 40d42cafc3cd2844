#include "engine/engine_inbox.h"

#include <QSocketNotifier>

#include <sys/eventfd.h>
#include <unistd.h>

namespace tai {

EngineInbox::EngineInbox(std::function<void()> afterDrain, QObject* parent)
    : QObject(parent), afterDrain_(std::move(afterDrain)) {
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    notifier_ = new QSocketNotifier(wakeFd_, QSocketNotifier::Read, this);  // moves with its parent
    connect(notifier_, &QSocketNotifier::activated, this, [this] {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto bytes = ::read(wakeFd_, &count, sizeof count);
        drain();
    });
}

EngineInbox::~EngineInbox() {
    delete notifier_;
    ::close(wakeFd_);
}

void EngineInbox::post(std::function<void()> work) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        wake = work_.empty();
        work_.push_back(std::move(work));
    }
    if (wake) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto bytes = ::write(wakeFd_, &one, sizeof one);
    }
}

void EngineInbox::drain() {
    std::vector<std::function<void()>> work;
    {
        std::lock_guard lock(mutex_);
        work.swap(work_);
    }
    for (auto& item : work) {
        item();
    }
    if (afterDrain_) {
        afterDrain_();
    }
}

}  // namespace tai
