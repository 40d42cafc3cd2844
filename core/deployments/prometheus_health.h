#pragma once

#include "deployments/deployments_config.h"
#include "deployments/infra_driver.h"

#include <QUrl>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>

class QNetworkAccessManager;
class QNetworkReply;

namespace QCoro {
template <typename T>
class Task;
}

namespace tai {

// The new version's health read from a real Prometheus (Argo Rollouts' Prometheus provider), for
// the InfraDriver seam. Each measurement is two instant queries, sent together:
//   GET <prometheus_url>/api/v1/query?query=<error_rate_query>   (a fraction, 0 to 1)
//   GET <prometheus_url>/api/v1/query?query=<p99_ms_query>       (milliseconds)
// with {service}, {version}, {region} and {weight} put into each expression (as PromQL string
// literal content: backslash and double quote escaped). The first value of a vector or scalar
// result counts. A query that fails (no connection, a status other than 2xx, "status":"error", an
// empty result, NaN, a reply past 1 MiB, no answer within the timeout) makes the measurement one
// with an error naming the metric and why: the analysis takes it as marginal, never as a pass or
// a fail. The timeout runs on the injected clock.
//
// Lives on the engine thread and answers there.
class PrometheusHealth {
public:
    using Done = std::function<void(const HealthSample&)>;

    PrometheusHealth(const PrometheusHealthConfig& config, std::chrono::milliseconds timeout, Clock& clock);
    ~PrometheusHealth();
    PrometheusHealth(const PrometheusHealth&) = delete;
    PrometheusHealth& operator=(const PrometheusHealth&) = delete;

    // Starts one measurement; returns a handle for cancel(). Never answers inside the call.
    std::uint64_t measure(const QString& service, const QString& version, const QString& region, int weight,
                          Done done);
    void cancel(std::uint64_t handle);

    // `expression` with the placeholders put in, each value escaped for a PromQL string literal.
    static QString expand(const QString& expression, const QString& service, const QString& version,
                          const QString& region, int weight);
    // The request for one instant query of `expression`.
    static QUrl queryUrl(const QUrl& base, const QString& expression);
    // The first value of a Prometheus /api/v1/query answer, or why there is none.
    struct Value {
        std::optional<double> value;
        QString error;
    };
    static Value valueOf(int httpStatus, const QByteArray& body);

    static constexpr qint64 kMaxReplyBytes = 1024 * 1024;

private:
    enum Metric { ErrorRate, P99Ms, kMetrics };

    struct Measurement {
        Done done;
        std::array<QNetworkReply*, kMetrics> replies{};
        std::array<Value, kMetrics> values;
        int pending = kMetrics;
        TimerId timer = 0;
    };

    QCoro::Task<void> collect(std::uint64_t handle, Metric metric, QNetworkReply* reply,
                              std::shared_ptr<bool> alive);
    void timedOut(std::uint64_t handle);
    // Takes the measurement out, then answers: `done` may start or cancel others.
    void finish(std::uint64_t handle);

    QUrl url_;
    std::array<QString, kMetrics> expressions_;
    std::chrono::milliseconds timeout_;
    Clock& clock_;
    std::unique_ptr<QNetworkAccessManager> network_;
    std::unordered_map<std::uint64_t, Measurement> measurements_;  // in flight, by handle
    std::uint64_t next_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tai
