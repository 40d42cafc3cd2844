#pragma once

// A raw loopback HTTP client for the tai::http suites: exact bytes out, exact bytes in, and
// every wait a poll() on the socket with a timeout (never a sleep).
#include "http/http_response_reader.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>

class HttpTestClient {
public:
    using Clock = std::chrono::steady_clock;

    // Connects to 127.0.0.1:port. Small socket buffers (bytes) make a client that does not read
    // fill up quickly.
    explicit HttpTestClient(quint16 port, int receiveBuffer = 0, int sendBuffer = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (receiveBuffer > 0) {
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        }
        if (sendBuffer > 0) {
            ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer);
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
    ~HttpTestClient() { close(); }
    HttpTestClient(const HttpTestClient&) = delete;
    HttpTestClient& operator=(const HttpTestClient&) = delete;

    bool connected() const { return connected_; }
    int fd() const { return fd_; }
    tai::HttpResponseReader& reader() { return reader_; }
    void close() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

    // Sends all of `bytes`; false if the server stops reading for `timeoutMs` or closes.
    bool send(const QByteArray& bytes, int timeoutMs = 5000) {
        return sendSome(bytes, timeoutMs) == bytes.size();
    }

    // Sends what the server takes until it stops reading for `timeoutMs`; returns how much.
    qsizetype sendSome(const QByteArray& bytes, int timeoutMs) {
        qsizetype sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.constData() + sent,
                                     static_cast<std::size_t>(bytes.size() - sent), MSG_NOSIGNAL);
            if (n > 0) {
                sent += n;
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waitFor(POLLOUT, timeoutMs)) {
                continue;
            }
            break;
        }
        return sent;
    }

    void shutdownWrite() { ::shutdown(fd_, SHUT_WR); }

    // The next complete response, or nothing if none arrives within `timeoutMs`.
    std::optional<tai::HttpParsedResponse> read(int timeoutMs = 5000) {
        const Clock::time_point end = Clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!reader_.hasResponse()) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
            if (closed_ || left <= 0 || !receive(static_cast<int>(left))) {
                break;
            }
        }
        if (!reader_.hasResponse()) {
            return std::nullopt;
        }
        return reader_.takeFirst();
    }

    // True once `count` interim (1xx) answers have arrived within `timeoutMs`.
    bool waitInterim(int count, int timeoutMs = 5000) {
        const Clock::time_point end = Clock::now() + std::chrono::milliseconds(timeoutMs);
        while (reader_.interim() < count) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
            if (closed_ || left <= 0 || !receive(static_cast<int>(left))) {
                break;
            }
        }
        return reader_.interim() >= count;
    }

    // True once the server has closed (end of stream or reset) within `timeoutMs`; responses
    // that arrive first stay readable with read().
    bool waitClosed(int timeoutMs = 5000) {
        const Clock::time_point end = Clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!closed_) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
            if (left <= 0 || !receive(static_cast<int>(left))) {
                break;
            }
        }
        return closed_;
    }

    qint64 bytesReceived() const { return received_; }
    bool reset() const { return reset_; }

private:
    bool waitFor(short events, int timeoutMs) {
        pollfd p{fd_, events, 0};
        return ::poll(&p, 1, timeoutMs) > 0;
    }

    // One read, after waiting up to `timeoutMs` for something to read; false on timeout.
    bool receive(int timeoutMs) {
        if (!waitFor(POLLIN, timeoutMs)) {
            return false;
        }
        char buffer[64 * 1024];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            received_ += n;
            reader_.feed(buffer, static_cast<std::size_t>(n));
            return true;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            return true;
        }
        reset_ = n < 0;
        closed_ = true;
        reader_.finish();
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
    bool reset_ = false;
    qint64 received_ = 0;
    tai::HttpResponseReader reader_;
};
