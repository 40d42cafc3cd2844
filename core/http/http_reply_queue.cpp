#include "http/http_reply_queue.h"

#include "http/http_io_loop.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace tai {

HttpReplyQueue::HttpReplyQueue() : wakeFd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

HttpReplyQueue::~HttpReplyQueue() {
    if (wakeFd_ >= 0) {
        ::close(wakeFd_);
    }
}

void HttpReplyQueue::deliver(HttpConnectionKey connection, std::uint64_t sequence, HttpResponse&& response) {
    if (owner_.load(std::memory_order_acquire) == std::this_thread::get_id()) {
        // Only the loop's thread can see its own id here, and only while the loop runs.
        loop_->deliver(connection, sequence, std::move(response));
        return;
    }
    {
        const std::lock_guard lock(mutex_);
        if (closed_) {
            return;
        }
        queued_.push_back({connection, sequence, std::move(response)});
        if (wakeOwed_) {
            return;
        }
        wakeOwed_ = true;
    }
    wake();
}

void HttpReplyQueue::wake() {
    const std::uint64_t one = 1;
    while (::write(wakeFd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void HttpReplyQueue::attach(HttpIoLoop* loop) {
    loop_ = loop;
    owner_.store(std::this_thread::get_id(), std::memory_order_release);
}

void HttpReplyQueue::detachAndClose() {
    owner_.store(std::thread::id(), std::memory_order_release);
    loop_ = nullptr;
    const std::lock_guard lock(mutex_);
    closed_ = true;
    queued_.clear();
}

void HttpReplyQueue::takeAll(std::vector<HttpQueuedReply>& into) {
    // Reset the eventfd before taking the list: an answer queued after this read either sees
    // wakeOwed_ still set (and is taken below) or writes the eventfd again.
    std::uint64_t count = 0;
    while (::read(wakeFd_, &count, sizeof count) < 0 && errno == EINTR) {
    }
    const std::lock_guard lock(mutex_);
    wakeOwed_ = false;
    into.swap(queued_);
}

}  // namespace tai
