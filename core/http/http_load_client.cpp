#include "http/http_load_client.h"

#include "http/http_load_worker.h"

#include <algorithm>

namespace tai {

HttpLoadClient::HttpLoadClient(Options options) : options_(std::move(options)) {}

HttpLoadClient::~HttpLoadClient() {
    for (std::thread& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

void HttpLoadClient::start() {
    const int connections = std::max(1, options_.connections);
    const int threads = std::clamp(options_.threads, 1, connections);
    options_.threads = threads;
    for (int i = 0; i < threads; ++i) {
        const int share = connections / threads + (i < connections % threads ? 1 : 0);
        workers_.push_back(std::make_unique<HttpLoadWorker>(options_, share, sequence_,
                                                            options_.seed + static_cast<std::uint64_t>(i)));
    }
    const auto countFrom = HttpLoadWorker::Clock::now() + options_.warmup;
    const auto end = countFrom + options_.duration;
    for (auto& worker : workers_) {
        threads_.emplace_back([worker = worker.get(), countFrom, end] { worker->run(countFrom, end); });
    }
}

HttpLoadClient::Result HttpLoadClient::wait() {
    for (std::thread& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    Result result;
    result.seconds = std::chrono::duration<double>(options_.duration).count();
    HttpLatencySamples latencies(0);
    bool connected = false;
    QString error;
    for (const auto& worker : workers_) {
        result.requests += worker->requests;
        result.connectionErrors += worker->connectionErrors;
        result.reconnects += worker->reconnects;
        for (const auto& [status, count] : worker->statuses) {
            result.statuses[status] += count;
        }
        latencies.merge(worker->latencies);
        connected = connected || worker->everConnected;
        if (error.isEmpty()) {
            error = worker->error;
        }
    }
    if (!connected) {
        result.error = QStringLiteral("cannot connect to %1:%2: %3")
                           .arg(options_.address)
                           .arg(options_.port)
                           .arg(error.isEmpty() ? QStringLiteral("no connection") : error);
    }
    result.requestsPerSecond = result.seconds > 0 ? static_cast<double>(result.requests) / result.seconds : 0;
    const HttpLatencySummary summary = latencies.summary();
    result.p50Ms = summary.p50Ms;
    result.p99Ms = summary.p99Ms;
    result.p999Ms = summary.p999Ms;
    result.maxMs = summary.maxMs;
    return result;
}

HttpLoadClient::Result HttpLoadClient::run(Options options) {
    HttpLoadClient client(std::move(options));
    client.start();
    return client.wait();
}

}  // namespace tai
