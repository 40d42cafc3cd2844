#pragma once

// What tst_http_server's cases share: a server on a free loopback port, a handler that keeps
// what it saw, and the requests it is sent.
#include "http/http_server.h"

#include <QByteArray>
#include <QList>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace httptest {
using namespace tai;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;

inline qint64 msSince(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// What the echo handler answers: the request as the server read it.
inline HttpResponse echoOf(const HttpRequest& request) {
    HttpResponse response;
    response.contentType = "text/plain";
    response.body = request.method + ' ' + request.path;
    if (!request.query.isEmpty()) {
        response.body += '?' + request.query;
    }
    if (!request.body.isEmpty()) {
        response.body += " body=";
        response.body += request.body.size() <= 64 ? request.body : QByteArray::number(request.body.size());
    }
    return response;
}

// Keeps every request the handler saw; answers at once with its echo, or holds the responder
// for the test to answer later, from any thread.
class Mailbox {
public:
    enum class Mode { Echo, Hold };
    explicit Mailbox(Mode mode) : mode_(mode) {}

    HttpHandler handler() {
        return [this](HttpRequest request, HttpResponder responder) {
            if (mode_ == Mode::Echo) {
                responder.respond(echoOf(request));
            }
            {
                const std::lock_guard lock(mutex_);
                requests_.push_back(std::move(request));
                responders_.push_back(std::move(responder));
            }
            changed_.notify_all();
        };
    }
    // True once `count` requests have arrived, within `timeout`.
    bool waitFor(std::size_t count, std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
    }
    std::size_t size() {
        const std::lock_guard lock(mutex_);
        return requests_.size();
    }
    HttpRequest request(std::size_t i) {
        const std::lock_guard lock(mutex_);
        return requests_.at(i);
    }
    HttpResponder take(std::size_t i) {
        const std::lock_guard lock(mutex_);
        return std::move(responders_.at(i));
    }

private:
    const Mode mode_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<HttpRequest> requests_;
    std::vector<HttpResponder> responders_;
};

inline HttpServerOptions testOptions() {
    HttpServerOptions options;
    options.ioThreads = 2;  // answers cross loops too
    return options;
}

inline std::unique_ptr<HttpServer> start(HttpHandler handler, HttpServerOptions options = testOptions()) {
    auto server = std::make_unique<HttpServer>(std::move(handler), options);
    QString error;
    if (!server->listen(QStringLiteral("127.0.0.1"), 0, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return server;
}

inline QByteArray get(const QByteArray& target, const QByteArray& extra = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

inline QByteArray post(const QByteArray& target, const QByteArray& body, const QByteArray& extra = {}) {
    return "POST " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
           extra + "\r\n" + body;
}

inline QByteArray chunked(const QByteArray& target, const QList<QByteArray>& chunks,
                          const QByteArray& trailer = {}) {
    QByteArray bytes =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const QByteArray& chunk : chunks) {
        bytes += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    return bytes + "0\r\n" + trailer + "\r\n";
}

}  // namespace httptest
