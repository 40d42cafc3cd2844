#include "http/http_io_loop.h"

#include "http/http_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tai {

namespace {

constexpr std::uint64_t kListenTag = ~std::uint64_t(0);
constexpr std::uint64_t kWakeTag = ~std::uint64_t(0) - 1;
constexpr std::size_t kReadBufferBytes =
    std::size_t{16} * 1024;  // also bounds what a paused connection keeps
constexpr int kAcceptsPerWake = 64;
constexpr int kExpiriesPerPass = 16;
constexpr qint64 kTrimAfterBytes = qint64{4} * 1024 * 1024;

std::uint64_t tagOf(HttpConnectionKey key) {
    return (std::uint64_t(key.generation) << 32) | key.index;
}

QByteArray peerText(const sockaddr_storage& address) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        inet_ntop(AF_INET6, &v6.sin6_addr, text.data(), text.size());
        return '[' + QByteArray(text.data()) + "]:" + QByteArray::number(ntohs(v6.sin6_port));
    }
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text.data(), text.size());
    return QByteArray(text.data()) + ':' + QByteArray::number(ntohs(v4.sin_port));
}

}  // namespace

HttpIoLoop::HttpIoLoop(HttpServerContext& context, int listenFd)
    : context_(context), listenFd_(listenFd), queue_(std::make_shared<HttpReplyQueue>()) {}

HttpIoLoop::~HttpIoLoop() {
    requestStop();
    join();
    if (epollFd_ >= 0) {
        ::close(epollFd_);
    }
    if (reserveFd_ >= 0) {
        ::close(reserveFd_);
    }
}

std::int64_t HttpIoLoop::secondOf(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool HttpIoLoop::start(int index, QString* error) {
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd_ < 0 || !queue_->valid()) {
        *error = QStringLiteral("cannot create the I/O loop: %1").arg(qt_error_string(errno));
        return false;
    }
    reserveFd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    epoll_event listen{};
    listen.events = EPOLLIN | EPOLLEXCLUSIVE;
    listen.data.u64 = kListenTag;
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = kWakeTag;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &listen) != 0 ||
        ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, queue_->wakeFd(), &wake) != 0) {
        *error = QStringLiteral("cannot watch the listening socket: %1").arg(qt_error_string(errno));
        return false;
    }
    readBuffer_.resize(kReadBufferBytes);
    thread_ = std::thread([this, index] { run(index); });
    return true;
}

void HttpIoLoop::requestStop() {
    stopRequested_.store(true, std::memory_order_release);
    queue_->wake();
}

void HttpIoLoop::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void HttpIoLoop::run(int index) {
    const std::string name = "tai-http-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.c_str());
    queue_->attach(this);
    now_ = Clock::now();
    lastTrim_ = now_;
    std::array<epoll_event, 128> events{};
    for (;;) {
        if (stopRequested_.load(std::memory_order_acquire) && !stopping_) {
            beginStop();
        }
        if (stopping_ && (open_ == 0 || now_ >= stopDeadline_)) {
            break;
        }
        const int ready =
            ::epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), nextTimeoutMs());
        now_ = Clock::now();
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t tag = events[static_cast<std::size_t>(i)].data.u64;
            if (tag == kListenTag) {
                acceptConnections();
            } else if (tag == kWakeTag) {
                drainReplies();
            } else if (HttpConnection* connection = find(tag)) {
                settle(connection, connection->handleEvents(events[static_cast<std::size_t>(i)].events));
            }
        }
        expireDeadlines();
        serviceDirty();
        trimMemory();
    }
    finishStop();
    queue_->detachAndClose();
}

int HttpIoLoop::nextTimeoutMs() const {
    if (!dirty_.empty()) {
        return 0;
    }
    Clock::time_point next = Clock::time_point::max();
    for (const HttpDeadlineList& list : deadlines_) {
        if (const HttpDeadlineHook* front = list.front()) {
            next = std::min(next, front->at);
        }
    }
    if (stopping_) {
        next = std::min(next, stopDeadline_);
    }
    if (next == Clock::time_point::max()) {
        return -1;
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(wait, 0, 60'000));
}

void HttpIoLoop::acceptConnections() {
    for (int i = 0; i < kAcceptsPerWake; ++i) {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        const int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&address), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if ((errno == EMFILE || errno == ENFILE) && reserveFd_ >= 0) {
                // Out of descriptors: give one back to take the connection off the backlog and
                // close it. Left there, it keeps the listening socket readable and the loop spins.
                ::close(reserveFd_);
                const int refused = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
                if (refused >= 0) {
                    ::close(refused);
                }
                reserveFd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                context_.refusedConnections.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
            return;  // EAGAIN: the backlog is empty, or another loop took it
        }
        if (context_.openConnections.fetch_add(1, std::memory_order_relaxed) >=
            context_.options.maxConnections) {
            context_.openConnections.fetch_sub(1, std::memory_order_relaxed);
            context_.refusedConnections.fetch_add(1, std::memory_order_relaxed);
            ::close(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // answers are small: no Nagle delay
        addConnection(fd, peerText(address));
    }
}

void HttpIoLoop::addConnection(int fd, QByteArray peer) {
    std::uint32_t index = 0;
    if (!freeIndexes_.empty()) {
        index = freeIndexes_.back();
        freeIndexes_.pop_back();
    } else {
        index = static_cast<std::uint32_t>(connections_.size());
        connections_.emplace_back();
        generations_.push_back(0);
    }
    const HttpConnectionKey key{index, ++generations_[index]};
    connections_[index] = std::make_unique<HttpConnection>(*this, fd, key, std::move(peer));
    ++open_;
    epoll_event event{};
    // Edge-triggered, registered once: back-pressure is simply not reading (the kernel's
    // receive buffer fills and TCP flow control stops the client), with no epoll_ctl per change.
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = tagOf(key);
    HttpConnection* connection = connections_[index].get();
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event) != 0) {
        close(connection);
        return;
    }
    deadlines(HttpDeadline::Idle)
        .append(connection->hook(HttpDeadline::Idle), now() + context_.options.idleTimeout);
    // The request usually came with the handshake: read it now rather than one epoll_wait later
    // (a client that has sent nothing yet costs one recv() that finds nothing).
    settle(connection, connection->service());
}

HttpConnection* HttpIoLoop::find(std::uint64_t tag) const {
    const auto index = static_cast<std::uint32_t>(tag & 0xffffffffu);
    const auto generation = static_cast<std::uint32_t>(tag >> 32);
    if (index >= connections_.size() || connections_[index] == nullptr ||
        connections_[index]->key().generation != generation) {
        return nullptr;
    }
    return connections_[index].get();
}

void HttpIoLoop::dispatch(HttpConnection& connection, std::uint64_t sequence, HttpRequest&& request) {
    requests_.store(requests_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    rate_.count(secondOf(now_));
    context_.handler(std::move(request), HttpResponder(queue_, connection.key(), sequence));
}

void HttpIoLoop::deliver(HttpConnectionKey key, std::uint64_t sequence, HttpResponse&& response) {
    if (HttpConnection* connection = find(tagOf(key))) {
        connection->deliver(sequence, std::move(response));
    }
}

void HttpIoLoop::markDirty(HttpConnection& connection) {
    if (!connection.dirty) {
        connection.dirty = true;
        dirty_.push_back(connection.key());
    }
}

void HttpIoLoop::drainReplies() {
    queue_->takeAll(replies_);
    for (HttpQueuedReply& reply : replies_) {
        deliver(reply.connection, reply.sequence, std::move(reply.response));
    }
    replies_.clear();
}

void HttpIoLoop::expireDeadlines() {
    // A bounded number per pass: 1 500 slowloris connections opened together expire together,
    // and the connections with work to do must not wait behind all of them. The rest are
    // already due, so the next epoll_wait does not sleep.
    int budget = kExpiriesPerPass;
    for (std::size_t kind = 0; kind < deadlines_.size(); ++kind) {
        HttpDeadlineList& list = deadlines_[kind];
        while (HttpDeadlineHook* front = list.front()) {
            if (front->at > now_ || budget == 0) {
                break;
            }
            --budget;
            list.remove(*front);
            HttpConnection* connection = front->connection;
            settle(connection, connection->expire(static_cast<HttpDeadline>(kind)));
        }
    }
}

void HttpIoLoop::serviceDirty() {
    servicing_.swap(dirty_);
    for (const HttpConnectionKey key : servicing_) {
        if (HttpConnection* connection = find(tagOf(key))) {
            connection->dirty = false;
            settle(connection, connection->service());
        }
    }
    servicing_.clear();
}

void HttpIoLoop::settle(HttpConnection* connection, bool keep) {
    if (!keep) {
        close(connection);
        return;
    }
    const qint64 footprint = connection->footprint();
    if (footprint != connection->accountedBytes) {
        bufferedBytes_.fetch_add(footprint - connection->accountedBytes, std::memory_order_relaxed);
        connection->accountedBytes = footprint;
    }
}

void HttpIoLoop::close(HttpConnection* connection) {
    for (std::size_t kind = 0; kind < deadlines_.size(); ++kind) {
        deadlines_[kind].remove(connection->hook(static_cast<HttpDeadline>(kind)));
    }
    bufferedBytes_.fetch_sub(connection->accountedBytes, std::memory_order_relaxed);
    releasedSinceTrim_ += connection->footprint() + static_cast<qint64>(sizeof(HttpConnection));
    const std::uint32_t index = connection->key().index;
    connections_[index].reset();  // closes the socket, which also leaves the epoll set
    freeIndexes_.push_back(index);
    --open_;
    context_.openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void HttpIoLoop::trimMemory() {
    // glibc keeps small freed blocks in its arenas; after many clients leave, give the pages
    // back so the process's RSS falls again (at most once a second: the call walks the heap).
    if (releasedSinceTrim_ >= kTrimAfterBytes && now_ - lastTrim_ >= std::chrono::seconds(1)) {
        ::malloc_trim(0);
        releasedSinceTrim_ = 0;
        lastTrim_ = now_;
    }
}

void HttpIoLoop::beginStop() {
    stopping_ = true;
    stopDeadline_ = now_ + context_.options.stopTimeout;
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, listenFd_, nullptr);
    for (std::unique_ptr<HttpConnection>& slot : connections_) {
        if (HttpConnection* connection = slot.get()) {
            if (connection->beginStop()) {
                markDirty(*connection);
            } else {
                close(connection);
            }
        }
    }
}

void HttpIoLoop::finishStop() {
    for (std::unique_ptr<HttpConnection>& slot : connections_) {
        if (HttpConnection* connection = slot.get()) {
            connection->answerUnanswered();
            connection->service();  // one non-blocking write of what is now owed
            close(connection);
        }
    }
}

}  // namespace tai
