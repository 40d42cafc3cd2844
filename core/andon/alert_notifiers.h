#pragma once

#include "andon/andon_board.h"

#include <QString>
#include <QUrl>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace tai {

// How one outbound alert target is doing, for the snapshot, /metrics and the console.
struct NotifierStatus {
    QString name;  // "webhook" or "alertmanager"
    QString url;
    std::uint64_t delivered = 0;
    std::uint64_t failedAttempts = 0;
    std::uint64_t dropped = 0;  // outbox overflow, oldest first
    std::size_t queued = 0;
    QString lastError;
};

// Our severities in Prometheus' words, the same in /metrics and in Alertmanager payloads:
// CRITICAL "critical", HIGH "warning", LOW "info".
QString alertmanagerSeverity(Severity severity);

// The outbound Andon notifiers of §10.3, on their own thread so that the engine never waits for a
// network: a generic webhook (a JSON POST per transition) and Prometheus Alertmanager API v2
// (POST /api/v2/alerts with startsAt, and endsAt when resolved; firing alerts are re-sent every
// minute so Alertmanager's resolve_timeout never ends them early).
//
// Each target keeps a bounded outbox in order. A failed delivery is retried with exponential
// backoff (initialBackoff doubling up to maxBackoff) and holds back what follows it; when the
// outbox is full the oldest message is dropped and counted.
class AlertNotifiers {
public:
    struct Options {
        QUrl webhook;       // empty: no webhook
        QUrl alertmanager;  // base URL, e.g. http://127.0.0.1:9093; empty: none
        // Alertmanager's generatorURL: where the alert can be seen, the console's own
        // http://HOST:PORT/v1/alerts. Empty: left out (Alertmanager treats "" as none anyway).
        QUrl generatorUrl{};
        std::size_t outboxCapacity = 1000;
        std::chrono::milliseconds initialBackoff{500};
        std::chrono::milliseconds maxBackoff{30'000};
        std::chrono::milliseconds resendFiring{60'000};
        std::chrono::milliseconds requestTimeout{5'000};
    };

    explicit AlertNotifiers(Options options);
    ~AlertNotifiers();
    AlertNotifiers(const AlertNotifiers&) = delete;
    AlertNotifiers& operator=(const AlertNotifiers&) = delete;

    bool empty() const { return targets_.empty(); }
    // Thread-safe and non-blocking: the transition is queued for every target that wants it.
    // Silenced transitions go nowhere, except a resolution Alertmanager was told the start of.
    void notify(const AlertTransition& transition);
    std::vector<NotifierStatus> status() const;
    // For when the API's address is known only after the notifiers started (--listen HOST:0).
    // Thread-safe; applies to every body built from then on, re-sends included.
    void setGeneratorUrl(const QUrl& url);

    // The bodies sent, exposed for tests and the README.
    static QByteArray webhookBody(const AlertTransition& transition);
    static QByteArray alertmanagerBody(const std::vector<ActiveAlert>& alerts, const QUrl& generatorUrl = {});

private:
    struct Target;
    class Worker;

    void enqueue(Target& target, QByteArray body);

    Options options_;
    std::vector<std::unique_ptr<Target>> targets_;
    mutable std::mutex mutex_;  // guards every target's outbox, counters and firing set, and the
                                // generator URL in options_
    std::unique_ptr<QThread> thread_;
    Worker* worker_ = nullptr;  // lives on thread_
};

}  // namespace tai
