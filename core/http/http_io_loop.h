#pragma once

#include "http/http_date.h"
#include "http/http_deadline_list.h"
#include "http/http_rate_window.h"
#include "http/http_reply_queue.h"
#include "http/http_server_context.h"

#include <QString>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <thread>
#include <vector>

namespace tai {

class HttpConnection;

// One I/O thread of HttpServer: an epoll set holding the shared listening socket (with
// EPOLLEXCLUSIVE, so one loop wakes per connection), its connections (edge-triggered) and its
// HttpReplyQueue's eventfd. It accepts, reads, calls the handler, writes, and keeps the
// deadlines; nothing else ever touches its connections.
class HttpIoLoop {
public:
    using Clock = std::chrono::steady_clock;

    HttpIoLoop(HttpServerContext& context, int listenFd);
    ~HttpIoLoop();
    HttpIoLoop(const HttpIoLoop&) = delete;
    HttpIoLoop& operator=(const HttpIoLoop&) = delete;

    bool start(int index, QString* error);
    void requestStop();  // any thread; the loop answers what it can, closes and ends
    void join();

    // Any thread: this loop's share of HttpServerStats.
    quint64 requests() const { return requests_.load(std::memory_order_relaxed); }
    double requestsPerSecond(std::int64_t currentSecond) const { return rate_.perSecond(currentSecond); }
    qint64 bufferedBytes() const { return bufferedBytes_.load(std::memory_order_relaxed); }
    static std::int64_t secondOf(Clock::time_point t);

    // The loop's thread only: for its connections and its reply queue.
    HttpServerContext& context() const { return context_; }
    // The time a deadline is armed from: read afresh, since one pass over many events can take a
    // while and a deadline must never start before its first byte was read.
    static Clock::time_point now() { return Clock::now(); }
    QByteArrayView date() { return date_.now(); }
    std::span<char> readBuffer() { return readBuffer_; }
    HttpDeadlineList& deadlines(HttpDeadline kind) { return deadlines_[static_cast<std::size_t>(kind)]; }
    void dispatch(HttpConnection& connection, std::uint64_t sequence, HttpRequest&& request);
    void deliver(HttpConnectionKey key, std::uint64_t sequence, HttpResponse&& response);
    void markDirty(HttpConnection& connection);

private:
    void run(int index);
    void acceptConnections();
    void addConnection(int fd, QByteArray peer);
    HttpConnection* find(std::uint64_t tag) const;
    void drainReplies();
    void expireDeadlines();
    void serviceDirty();
    void settle(HttpConnection* connection, bool keep);
    void close(HttpConnection* connection);
    void beginStop();
    void finishStop();
    void trimMemory();
    int nextTimeoutMs() const;

    HttpServerContext& context_;
    const int listenFd_;
    int epollFd_ = -1;
    int reserveFd_ = -1;  // given back when accept() runs out of descriptors
    std::shared_ptr<HttpReplyQueue> queue_;
    std::thread thread_;
    std::atomic<bool> stopRequested_{false};

    // The loop's thread only.
    Clock::time_point now_{};
    HttpDate date_;
    std::vector<char> readBuffer_;  // one per loop: a connection keeps no read buffer of its own
    std::array<HttpDeadlineList, kHttpDeadlineKinds> deadlines_{};
    std::vector<std::unique_ptr<HttpConnection>> connections_;  // by key index
    std::vector<std::uint32_t> generations_;
    std::vector<std::uint32_t> freeIndexes_;
    std::vector<HttpConnectionKey> dirty_;
    std::vector<HttpConnectionKey> servicing_;
    std::vector<HttpQueuedReply> replies_;
    int open_ = 0;
    bool stopping_ = false;
    Clock::time_point stopDeadline_{};
    qint64 releasedSinceTrim_ = 0;
    Clock::time_point lastTrim_{};

    std::atomic<quint64> requests_{0};
    HttpRateWindow rate_;
    std::atomic<qint64> bufferedBytes_{0};
};

}  // namespace tai
