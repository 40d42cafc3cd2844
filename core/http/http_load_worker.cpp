#include "http/http_load_worker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tai {

namespace {

std::string toStd(QByteArrayView bytes) {
    return {bytes.data(), static_cast<std::size_t>(bytes.size())};
}

}  // namespace

HttpLoadWorker::HttpLoadWorker(const HttpLoadClient::Options& options, int connections,
                               std::atomic<quint64>& sequence, std::uint64_t seed)
    : latencies(options.latencySamples / static_cast<std::size_t>(std::max(1, options.threads)), seed),
      options_(options),
      sequence_(sequence),
      connections_(static_cast<std::size_t>(std::max(0, connections))),
      buffer_(std::size_t{64} * 1024) {
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    const QByteArray host =
        options.address == u"localhost" ? QByteArray("127.0.0.1") : options.address.toLatin1();
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address_);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address_);
    if (::inet_pton(AF_INET, host.constData(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(options.port);
        addressLength_ = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, host.constData(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(options.port);
        addressLength_ = sizeof(sockaddr_in6);
    }
    requestHead_ = toStd(options.method) + ' ' + toStd(options.path) + " HTTP/1.1\r\nHost: " + toStd(host) +
                   ':' + std::to_string(options.port) + "\r\n";
    for (const auto& [name, value] : options.headers) {
        requestHead_ += toStd(name) + ": " + toStd(value) + "\r\n";
    }
}

HttpLoadWorker::~HttpLoadWorker() {
    for (Connection& connection : connections_) {
        closeSocket(connection);
    }
    if (epollFd_ >= 0) {
        ::close(epollFd_);
    }
}

void HttpLoadWorker::run(Clock::time_point countFrom, Clock::time_point end) {
    if (epollFd_ < 0 || addressLength_ == 0) {
        error = QStringLiteral("cannot load %1: not a numeric IP address").arg(options_.address);
        return;
    }
    for (Connection& connection : connections_) {
        open(connection);
    }
    std::vector<epoll_event> events(64);
    for (;;) {
        const Clock::time_point now = Clock::now();
        const bool anyOpen = std::any_of(connections_.begin(), connections_.end(),
                                         [](const Connection& c) { return c.fd >= 0; });
        if (now >= end || !anyOpen) {
            break;
        }
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(end - now).count();
        const int ready = ::epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()),
                                       static_cast<int>(std::min<std::int64_t>(wait, 1000)));
        for (int i = 0; i < ready; ++i) {
            const epoll_event& event = events[static_cast<std::size_t>(i)];
            Connection& connection = connections_[event.data.u64];
            if (connection.fd < 0) {
                continue;
            }
            if (connection.connecting) {
                int socketError = 0;
                socklen_t length = sizeof socketError;
                ::getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &socketError, &length);
                if (socketError != 0) {
                    error = qt_error_string(socketError);
                    reopen(connection, true);
                    continue;
                }
                connection.connecting = false;
                everConnected = true;
                watch(connection, false);
                send(connection);
                continue;
            }
            if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
                readable(connection, countFrom, end);
            }
            if (connection.fd >= 0 && (event.events & EPOLLOUT) != 0 && connection.wantsWrite) {
                flush(connection);
            }
        }
    }
}

bool HttpLoadWorker::open(Connection& connection) {
    const int fd = ::socket(address_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = qt_error_string(errno);
        ++connectionErrors;
        return false;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connection.fd = fd;
    connection.reader = std::make_unique<HttpResponseReader>(HttpResponseReader::Keep::StatusOnly);
    connection.wantsWrite = false;
    const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address_), addressLength_);
    if (result != 0 && errno != EINPROGRESS) {
        error = qt_error_string(errno);
        closeSocket(connection);
        ++connectionErrors;
        return false;
    }
    connection.connecting = result != 0;
    epoll_event event{};
    event.events = EPOLLIN | (connection.connecting ? EPOLLOUT : 0u);
    event.data.u64 = static_cast<std::uint64_t>(&connection - connections_.data());
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event);
    if (!connection.connecting) {
        everConnected = true;
        send(connection);
    }
    return true;
}

void HttpLoadWorker::reopen(Connection& connection, bool failure) {
    closeSocket(connection);
    if (failure) {
        ++connectionErrors;
        if (!connection.everAnswered) {
            return;  // never worked: retrying would spin on a server that is not there
        }
    }
    open(connection);
}

void HttpLoadWorker::closeSocket(Connection& connection) {
    if (connection.fd >= 0) {
        ::close(connection.fd);
        connection.fd = -1;
    }
    connection.connecting = false;
}

void HttpLoadWorker::watch(Connection& connection, bool write) {
    epoll_event event{};
    event.events = EPOLLIN | (write ? EPOLLOUT : 0u);
    event.data.u64 = static_cast<std::uint64_t>(&connection - connections_.data());
    ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, connection.fd, &event);
    connection.wantsWrite = write;
}

void HttpLoadWorker::send(Connection& connection) {
    connection.out.assign(requestHead_);
    const quint64 sequence = sequence_.fetch_add(1, std::memory_order_relaxed);
    if (options_.body) {
        const QByteArray body = options_.body(sequence);
        connection.out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
        connection.out.append(body.constData(), static_cast<std::size_t>(body.size()));
    } else {
        connection.out.append("\r\n");
    }
    connection.sent = 0;
    connection.sentAt = Clock::now();
    flush(connection);
}

bool HttpLoadWorker::flush(Connection& connection) {
    while (connection.sent < connection.out.size()) {
        const ssize_t n = ::send(connection.fd, connection.out.data() + connection.sent,
                                 connection.out.size() - connection.sent, MSG_NOSIGNAL);
        if (n > 0) {
            connection.sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!connection.wantsWrite) {
                watch(connection, true);
            }
            return true;
        } else {
            reopen(connection, true);
            return false;
        }
    }
    if (connection.wantsWrite) {
        watch(connection, false);
    }
    return true;
}

void HttpLoadWorker::readable(Connection& connection, Clock::time_point countFrom, Clock::time_point end) {
    for (;;) {
        const ssize_t n = ::recv(connection.fd, buffer_.data(), buffer_.size(), 0);
        if (n > 0) {
            if (!connection.reader->feed(buffer_.data(), static_cast<std::size_t>(n))) {
                error = connection.reader->error();
                reopen(connection, true);
                return;
            }
            while (connection.reader->hasResponse()) {
                const HttpParsedResponse response = connection.reader->takeFirst();
                const Clock::time_point now = Clock::now();
                if (connection.sentAt >= countFrom && now <= end) {
                    ++requests;
                    ++statuses[response.status];
                    latencies.record(static_cast<std::uint64_t>(
                        std::chrono::duration_cast<std::chrono::nanoseconds>(now - connection.sentAt)
                            .count()));
                }
                connection.everAnswered = true;
                if (!response.keepAlive) {
                    ++reconnects;
                    reopen(connection, false);
                    return;
                }
                if (now < end) {
                    send(connection);
                    if (connection.fd < 0) {
                        return;
                    }
                }
            }
            if (static_cast<std::size_t>(n) < buffer_.size()) {
                return;
            }
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            reopen(connection, true);  // closed or reset with our request outstanding
            return;
        }
    }
}

}  // namespace tai
