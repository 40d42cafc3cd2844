#include "http/http_server.h"

#include "http/http_io_loop.h"
#include "http/http_server_context.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tai {

namespace {

QString systemError() {
    return qt_error_string(errno);
}

}  // namespace

HttpServer::HttpServer(HttpHandler handler, Options options)
    : context_(std::make_unique<HttpServerContext>(std::move(handler), options)) {}

HttpServer::~HttpServer() {
    stop();
    loops_.clear();  // before the context they refer to
}

quint64 HttpServer::raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        }
    }
    return limit.rlim_cur;
}

bool HttpServer::listen(const QString& address, quint16 port, QString* error) {
    const QString where = address + QLatin1Char(':') + QString::number(port);
    if (!loops_.empty() || stopped_) {
        *error = QStringLiteral("cannot listen on %1: this server already listened").arg(where);
        return false;
    }
    raiseDescriptorLimit();

    sockaddr_storage storage{};
    socklen_t length = 0;
    const QByteArray host = address == u"localhost" ? QByteArray("127.0.0.1") : address.toLatin1();
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (::inet_pton(AF_INET, host.constData(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, host.constData(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof(sockaddr_in6);
    } else {
        *error = QStringLiteral("cannot listen on %1: not a numeric IP address").arg(where);
        return false;
    }

    const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(where, systemError());
        return false;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
        ::listen(fd, context_->options.listenBacklog) != 0) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(where, systemError());
        ::close(fd);
        return false;
    }
    length = sizeof storage;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
    port_ = ntohs(storage.ss_family == AF_INET6 ? v6->sin6_port : v4->sin_port);
    address_ = QString::fromLatin1(host);
    listenFd_ = fd;

    for (int i = 0; i < context_->options.ioThreads; ++i) {
        auto loop = std::make_unique<HttpIoLoop>(*context_, listenFd_);
        if (!loop->start(i, error)) {
            stop();
            return false;
        }
        loops_.push_back(std::move(loop));
    }
    return true;
}

void HttpServer::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    for (const auto& loop : loops_) {
        loop->requestStop();
    }
    for (const auto& loop : loops_) {
        loop->join();
    }
    if (listenFd_ >= 0) {
        ::close(listenFd_);
        listenFd_ = -1;
    }
}

HttpServerStats HttpServer::stats() const {
    HttpServerStats stats;
    const std::int64_t second = HttpIoLoop::secondOf(HttpIoLoop::Clock::now());
    for (const auto& loop : loops_) {
        stats.requests += loop->requests();
        stats.requestsPerSecond += loop->requestsPerSecond(second);
        stats.bufferedBytes += loop->bufferedBytes();
    }
    stats.openConnections = context_->openConnections.load(std::memory_order_relaxed);
    stats.refusedConnections = context_->refusedConnections.load(std::memory_order_relaxed);
    stats.lastError = context_->lastServerError();
    return stats;
}

const HttpServer::Options& HttpServer::options() const {
    return context_->options;
}

}  // namespace tai
