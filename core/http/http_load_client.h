#pragma once

#include "http/http_latency_samples.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace tai {

class HttpLoadWorker;

// A loopback load generator of our own, for `tai-console bench` (issue 16): N keep-alive
// connections, each closed-loop (one request outstanding at a time, the next sent as soon as
// the answer is read), for a fixed time, on threads of its own. Latency is measured from the
// request's send to its answer's last byte.
class HttpLoadClient {
public:
    struct Options {
        QString address = QStringLiteral("127.0.0.1");
        quint16 port = 0;
        int connections = 16;
        int threads = 1;                      // connections are shared out among them
        std::chrono::milliseconds warmup{0};  // run, but do not count, this long first
        std::chrono::milliseconds duration{5000};
        QByteArray method = "GET";
        QByteArray path = "/healthz";
        QList<QPair<QByteArray, QByteArray>> headers;  // Host is always sent
        // Called for every request (with a sequence number unique in this run) from the
        // client's threads, so it must be thread-safe. Empty: requests carry no body.
        std::function<QByteArray(quint64 sequence)> body;
        std::size_t latencySamples = std::size_t(1) << 22;  // exact percentiles up to this many
        std::uint64_t seed = 1;                             // for the reservoir beyond that
    };

    struct Result {
        quint64 requests = 0;  // answers counted (after the warm-up)
        double seconds = 0;    // the counted time
        double requestsPerSecond = 0;
        QMap<int, quint64> statuses;   // answers by status
        quint64 connectionErrors = 0;  // connects refused, resets, closes with a request outstanding
        quint64 reconnects = 0;        // reopened after the server closed (Connection: close)
        double p50Ms = 0, p99Ms = 0, p999Ms = 0, maxMs = 0;
        QString error;  // set when the run could not be made (nothing connected)
    };

    explicit HttpLoadClient(Options options);
    ~HttpLoadClient();  // waits for the run
    HttpLoadClient(const HttpLoadClient&) = delete;
    HttpLoadClient& operator=(const HttpLoadClient&) = delete;

    void start();   // returns at once; the run goes on on the client's threads
    Result wait();  // blocks until the run is over

    static Result run(Options options);  // start() and wait()

private:
    Options options_;
    std::atomic<quint64> sequence_{0};
    std::vector<std::unique_ptr<HttpLoadWorker>> workers_;
    std::vector<std::thread> threads_;
};

}  // namespace tai
