#pragma once

#include "http/http_handler.h"
#include "http/http_request_parser.h"
#include "http/http_server_options.h"

#include <QString>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace tai {

// What every I/O loop of one HttpServer shares: read-only settings and a few counters.
struct HttpServerContext {
    HttpServerContext(HttpHandler h, const HttpServerOptions& o)
        : handler(std::move(h)),
          options(sane(o)),
          limits{options.maxRequestLineBytes, options.maxHeaderBytes, options.maxBodyBytes} {}

    // A cap of zero would never read a request; a negative size would refuse every byte.
    static HttpServerOptions sane(HttpServerOptions o) {
        o.ioThreads = std::max(1, o.ioThreads);
        o.maxPendingRequests = std::max(1, o.maxPendingRequests);
        o.maxConnections = std::max(1, o.maxConnections);
        o.maxUnsentBytes = std::max<qsizetype>(0, o.maxUnsentBytes);
        o.maxRequestLineBytes = std::max<qsizetype>(1, o.maxRequestLineBytes);
        o.maxHeaderBytes = std::max<qsizetype>(0, o.maxHeaderBytes);
        o.maxBodyBytes = std::max<qsizetype>(0, o.maxBodyBytes);
        return o;
    }

    void recordServerError(int status, const QByteArray& body) {
        const QString text = QString::number(status) + QLatin1Char(' ') + QString::fromUtf8(body.left(200));
        const std::lock_guard lock(errorMutex);
        lastError = text;
    }
    QString lastServerError() const {
        const std::lock_guard lock(errorMutex);
        return lastError;
    }

    const HttpHandler handler;
    const HttpServerOptions options;
    const HttpRequestParser::Limits limits;
    std::atomic<int> openConnections{0};
    std::atomic<quint64> refusedConnections{0};

private:
    mutable std::mutex errorMutex;
    QString lastError;
};

}  // namespace tai
