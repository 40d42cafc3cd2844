#pragma once

// HttpServer: the bounded HTTP/1.1 server under the API (issues 14 and 16).
//
// Why not Qt HTTP Server: 6.4 reads each request whole before any limit can apply (a 300 MB
// body, query or header was buffered before its 4xx) and has no way to stop reading a client
// that does not read its answers; it also runs on the thread that owns it, which was the GUI
// thread. Why epoll and our own threads: the limits must act on the bytes as they arrive, and
// back-pressure must reach TCP; that needs the socket itself. A few I/O threads (1-2) each own
// their connections outright, so the per-request path takes no lock: read into the loop's one
// buffer, parse in place with http-parser, call the handler, serialize into the connection's
// reused output buffer, send. Answers from other threads (the engine answers payments) come back
// through a std::mutex queue and an eventfd, which ThreadSanitizer can see.
//
// What each bound protects (all in HttpServerOptions):
// - request line 8 KiB (414), headers 32 KiB (431), body 64 KiB (413, on Content-Length before
//   the body is read, or as a chunked body streams), checked while reading: memory per request.
// - headers within 10 s, the whole request within 30 s (408, then close): slowloris, a
//   connection held open by a request that never completes. The clock does not restart per byte.
// - idle keep-alive timeout (10 s) for connections owed nothing: descriptors held by silence.
// - per connection, 32 unanswered requests and 256 KiB of unsent answers: past either the
//   socket is not read until the client reads or the answers drain, so a pipelining client that
//   never reads fills its own TCP window, not our heap.
// - 10 000 connections (closed at accept beyond), RLIMIT_NOFILE raised to its hard limit, a
//   reserve descriptor for EMFILE, listen backlog 4096: descriptors and accept storms.
// - after an error answer, Connection: close, HTTP/1.0 or Upgrade, nothing more is read and
//   nothing pipelined after it is answered; the close drains input briefly (linger) so the
//   client reads the answer rather than a reset.
// - stop() waits at most stopTimeout (1 s) for owed answers, answers 503 for the rest, closes.
// A connection keeps no read buffer: idle, it holds its parser and a small output buffer; a
// client that leaves gives everything back (and malloc_trim returns the pages after many do).

#include "http/http_handler.h"
#include "http/http_server_options.h"
#include "http/http_server_stats.h"

#include <QString>

#include <memory>
#include <vector>

namespace tai {

class HttpIoLoop;
struct HttpServerContext;

class HttpServer {
public:
    using Options = HttpServerOptions;

    explicit HttpServer(HttpHandler handler, Options options = {});
    ~HttpServer();  // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds `address` (numeric IPv4 or IPv6, or "localhost") and `port` (0 picks a free one,
    // then port() reports it) and starts the I/O threads. False with `error` set when it cannot.
    // Raises this process's RLIMIT_NOFILE soft limit to its hard limit first.
    bool listen(const QString& address, quint16 port, QString* error);
    quint16 port() const { return port_; }
    QString address() const { return address_; }
    bool listening() const { return !loops_.empty() && !stopped_; }

    // Stops accepting and reading, waits up to Options::stopTimeout for answers still owed,
    // answers 503 for the rest, closes every connection and joins the I/O threads. Idempotent.
    // Answers given afterwards are dropped. Not from a handler: it joins the thread it runs on.
    void stop();

    // Any thread, any time.
    HttpServerStats stats() const;
    const Options& options() const;

    // The RLIMIT_NOFILE soft limit after raising it to the hard limit (what listen() does).
    static quint64 raiseDescriptorLimit();

private:
    std::unique_ptr<HttpServerContext> context_;
    std::vector<std::unique_ptr<HttpIoLoop>> loops_;
    int listenFd_ = -1;
    quint16 port_ = 0;
    QString address_;
    bool stopped_ = false;
};

}  // namespace tai
