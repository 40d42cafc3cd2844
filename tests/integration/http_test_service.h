#pragma once

// A stand-in for the API behind HttpServer until the lead wires ApiRouter onto it:
// GET /healthz answers inline on the I/O thread (as the router's synchronous routes will), and
// POST /v1/payments is handed to an "engine" thread that answers after a short decision delay,
// batching what queued meanwhile, the way EngineHost answers payments.
#include "http/http_server.h"

#include <QByteArray>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

class HttpTestService {
public:
    using Clock = std::chrono::steady_clock;

    explicit HttpTestService(std::chrono::microseconds answerDelay) : answerDelay_(answerDelay) {
        engine_ = std::thread([this] { engineLoop(); });
    }
    ~HttpTestService() {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        engine_.join();
    }
    HttpTestService(const HttpTestService&) = delete;
    HttpTestService& operator=(const HttpTestService&) = delete;

    tai::HttpHandler handler() {
        return [this](tai::HttpRequest request, tai::HttpResponder responder) {
            handle(std::move(request), std::move(responder));
        };
    }

private:
    struct Pending {
        tai::HttpResponder responder;
        Clock::time_point due;
        qsizetype bodyBytes = 0;
    };

    void handle(tai::HttpRequest request, tai::HttpResponder responder) {
        if (request.path == "/healthz") {
            if (request.method != "GET") {
                return responder.respond(notAllowed("GET"));
            }
            return responder.respond(tai::HttpResponse::json(200, QByteArrayLiteral(R"({"status":"ok"})")));
        }
        if (request.path == "/v1/payments") {
            if (request.method != "POST") {
                return responder.respond(notAllowed("POST"));
            }
            bool wasEmpty = false;
            {
                const std::lock_guard lock(mutex_);
                wasEmpty = inbox_.empty();
                inbox_.push_back({std::move(responder), Clock::now() + answerDelay_, request.body.size()});
            }
            if (wasEmpty) {
                wake_.notify_one();
            }
            return;
        }
        responder.respond(
            tai::HttpResponse::json(404, QByteArrayLiteral(R"({"error":"path: not found","field":"path"})")));
    }

    static tai::HttpResponse notAllowed(const char* allow) {
        tai::HttpResponse response = tai::HttpResponse::json(
            405, QByteArrayLiteral(R"({"error":"method: not allowed here","field":"method"})"));
        response.headers.append(qMakePair(QByteArray("Allow"), QByteArray(allow)));
        return response;
    }

    void engineLoop() {
        std::deque<Pending> batch;
        quint64 next = 0;
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return stopping_ || !inbox_.empty(); });
            if (stopping_) {
                return;  // the inbox's responders answer 503 as they are destroyed
            }
            // The decision takes answerDelay_: wait for the oldest to be due (later arrivals
            // wake nothing; they are already behind it).
            const Clock::time_point due = inbox_.front().due;
            if (wake_.wait_until(lock, due, [this] { return stopping_; })) {
                return;
            }
            const Clock::time_point now = Clock::now();
            while (!inbox_.empty() && inbox_.front().due <= now) {
                batch.push_back(std::move(inbox_.front()));
                inbox_.pop_front();
            }
            lock.unlock();
            for (Pending& pending : batch) {
                const QByteArray id = QByteArray::number(++next);
                pending.responder.respond(tai::HttpResponse::json(
                    200, R"({"id":"pay-)" + id + R"(","status":"charged","body_bytes":)" +
                             QByteArray::number(pending.bodyBytes) + '}'));
            }
            batch.clear();
            lock.lock();
        }
    }

    const std::chrono::microseconds answerDelay_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> inbox_;
    bool stopping_ = false;
    std::thread engine_;
};
