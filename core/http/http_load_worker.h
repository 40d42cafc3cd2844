#pragma once

#include "http/http_latency_samples.h"
#include "http/http_load_client.h"
#include "http/http_response_reader.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tai {

// One thread of HttpLoadClient: its share of the connections, on an epoll set of its own.
class HttpLoadWorker {
public:
    using Clock = std::chrono::steady_clock;

    HttpLoadWorker(const HttpLoadClient::Options& options, int connections, std::atomic<quint64>& sequence,
                   std::uint64_t seed);
    ~HttpLoadWorker();
    HttpLoadWorker(const HttpLoadWorker&) = delete;
    HttpLoadWorker& operator=(const HttpLoadWorker&) = delete;

    void run(Clock::time_point countFrom, Clock::time_point end);

    quint64 requests = 0;
    std::map<int, quint64> statuses;
    quint64 connectionErrors = 0;
    quint64 reconnects = 0;
    bool everConnected = false;
    QString error;
    HttpLatencySamples latencies;

private:
    struct Connection {
        int fd = -1;
        bool connecting = false;
        bool everAnswered = false;
        bool wantsWrite = false;
        std::string out;
        std::size_t sent = 0;
        Clock::time_point sentAt{};
        std::unique_ptr<HttpResponseReader> reader;
    };

    bool open(Connection& connection);
    void reopen(Connection& connection, bool failure);
    void closeSocket(Connection& connection);
    void send(Connection& connection);
    bool flush(Connection& connection);
    void readable(Connection& connection, Clock::time_point countFrom, Clock::time_point end);
    void watch(Connection& connection, bool write);

    const HttpLoadClient::Options& options_;
    std::atomic<quint64>& sequence_;
    int epollFd_ = -1;
    sockaddr_storage address_{};
    socklen_t addressLength_ = 0;
    std::string requestHead_;  // request line and fixed headers, built once
    std::vector<Connection> connections_;
    std::vector<char> buffer_;
    bool running_ = true;
};

}  // namespace tai
