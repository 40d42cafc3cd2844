#pragma once

#include "api/api_router.h"
#include "http/http_server.h"

#include <QString>

#include <chrono>
#include <memory>

namespace tai {

// The HTTP front of the API: the router (api_router.h) on the bounded HTTP/1.1 server of
// core/http, which reads, parses and answers on I/O threads of its own, never the GUI's or the
// engine's. Limits apply while reading (see http/http_server.h); HEAD is answered like GET, every
// answer carries Date and Content-Length, and a request with a duplicate Authorization, Host or
// Content-Length is refused before it reaches the router.
class ApiServer {
public:
    struct Options {
        std::chrono::seconds idleTimeout{10};
        int maxConnections = 10'000;
    };

    ApiServer(ApiRouter& router, Options options);
    ~ApiServer();  // stop()

    // Binds `address`:`port` (0 picks a free port). False with `error` set when it cannot.
    bool start(const QString& address, quint16 port, QString* error);
    // Answers what it can within a second, then closes everything. Idempotent.
    void stop();
    quint16 port() const;

    // Thread-safe: the console's status bar reads them from the GUI thread.
    double requestsPerSecond() const;
    QString lastError() const;
    HttpServerStats stats() const;

    // An HTTP request as the router sees it.
    static ApiRequest toApiRequest(const HttpRequest& request);

private:
    ApiRouter& router_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace tai
