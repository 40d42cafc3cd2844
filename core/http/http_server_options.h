#pragma once

#include <QtGlobal>

#include <chrono>
#include <thread>

namespace tai {

// What HttpServer bounds, and how. Defaults are issue 14's; tests shorten the deadlines.
struct HttpServerOptions {
    // I/O threads: one on a machine of two cores or fewer (the engine needs the other), else two.
    int ioThreads = std::thread::hardware_concurrency() > 2 ? 2 : 1;

    // Limits applied while reading, before anything is buffered. Beyond one, the request is
    // answered with its status and the connection closed.
    qsizetype maxRequestLineBytes = qsizetype{8} * 1024;  // the request target, query included: 414
    qsizetype maxHeaderBytes = qsizetype{32} * 1024;      // every header line together: 431
    qsizetype maxBodyBytes = qsizetype{64} * 1024;        // on Content-Length at once, or while chunked: 413

    // Deadlines. A request's clock starts at its first byte: headers within headerTimeout,
    // all of it within requestTimeout, else 408 and close (slowloris). A connection owed no
    // answer and sending no request is closed after idleTimeout with nothing written.
    std::chrono::milliseconds headerTimeout{10'000};
    std::chrono::milliseconds requestTimeout{30'000};
    std::chrono::milliseconds idleTimeout{10'000};
    // After the last answer of a closing connection, how long unread input is drained, so the
    // client reads that answer instead of a reset.
    std::chrono::milliseconds lingerTimeout{2'000};
    // stop() waits this long for answers still owed, then answers 503 and closes.
    std::chrono::milliseconds stopTimeout{1'000};

    // Back-pressure: a connection with this many requests unanswered, or this many answer
    // bytes its client has not read, is not read from until that drains.
    int maxPendingRequests = 32;
    qsizetype maxUnsentBytes = qsizetype{256} * 1024;

    // Connections beyond this are closed as soon as they are accepted.
    int maxConnections = 10'000;
    int listenBacklog = 4096;
};

}  // namespace tai
