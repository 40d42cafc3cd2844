#pragma once

#include "http/http_response.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace tai {

class HttpIoLoop;

// Names one connection of one I/O loop. The generation changes whenever a slot is reused, so an
// answer for a connection that has gone away cannot reach a newer one.
struct HttpConnectionKey {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
};

struct HttpQueuedReply {
    HttpConnectionKey connection;
    std::uint64_t sequence = 0;
    HttpResponse response;
};

// The way back to an I/O thread for answers given on other threads (the engine answers
// payments): a std::mutex-guarded list and an eventfd that wakes the loop's epoll_wait. Both are
// plain pthread/syscall synchronisation, so ThreadSanitizer sees the hand-off. Shared (through
// std::shared_ptr) by the loop and every HttpResponder it gave out, so a responder that outlives
// the server posts into a closed queue instead of a dead loop.
class HttpReplyQueue {
public:
    HttpReplyQueue();
    ~HttpReplyQueue();
    HttpReplyQueue(const HttpReplyQueue&) = delete;
    HttpReplyQueue& operator=(const HttpReplyQueue&) = delete;

    bool valid() const { return wakeFd_ >= 0; }
    int wakeFd() const { return wakeFd_; }

    // Any thread. On the loop's own thread (a handler answering inline) the answer goes straight
    // to the loop; elsewhere it is queued, and the loop woken unless a wake-up is already owed.
    // Dropped once the loop has stopped.
    void deliver(HttpConnectionKey connection, std::uint64_t sequence, HttpResponse&& response);
    // Wakes the loop without an answer (stop).
    void wake();

    // Loop thread.
    void attach(HttpIoLoop* loop);
    void detachAndClose();  // the loop has stopped: later answers are dropped
    // Takes every queued answer into `into` (swapped, so both vectors keep their capacity).
    void takeAll(std::vector<HttpQueuedReply>& into);

private:
    int wakeFd_ = -1;
    std::atomic<std::thread::id> owner_{};  // the loop's thread while it runs
    HttpIoLoop* loop_ = nullptr;            // read only on `owner_`'s thread
    std::mutex mutex_;
    std::vector<HttpQueuedReply> queued_;
    bool wakeOwed_ = false;  // an eventfd write is on its way; no need for another
    bool closed_ = false;
};

}  // namespace tai
