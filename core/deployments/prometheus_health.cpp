#include "deployments/prometheus_health.h"

#include <QCoroNetworkReply>
#include <QCoroTask>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

#include <cmath>
#include <utility>

namespace tai {

namespace {

QString metricName(int metric) {
    return metric == 0 ? QStringLiteral("error_rate") : QStringLiteral("p99_ms");
}

// Qt's transport errors read "Connection refused"; inside a sentence, "connection refused".
QString lowerFirst(QString text) {
    if (!text.isEmpty()) {
        text[0] = text[0].toLower();
    }
    return text;
}

// The content of a PromQL double-quoted string literal.
QString promqlLiteral(QString value) {
    value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    value.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    value.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return value;
}

std::optional<double> sampleValue(const QJsonValue& pair) {
    // [<unix time>, "<value>"]: Prometheus writes sample values as strings (NaN, +Inf included).
    bool ok = false;
    const double v = pair.toArray().at(1).toString().toDouble(&ok);
    if (!ok || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

PrometheusHealth::PrometheusHealth(const PrometheusHealthConfig& config, std::chrono::milliseconds timeout,
                                   Clock& clock)
    : url_(config.url),
      expressions_{config.errorRateQuery, config.p99MsQuery},
      timeout_(timeout),
      clock_(clock),
      network_(std::make_unique<QNetworkAccessManager>()) {
    // The clock's timer ends a query; this only frees a connection nobody waits for.
    network_->setTransferTimeout(static_cast<int>(timeout_.count()) + 5000);
}

PrometheusHealth::~PrometheusHealth() {
    *alive_ = false;  // coroutines resumed by the aborts below answer nobody
    const auto measurements = std::exchange(measurements_, {});
    for (const auto& [handle, m] : measurements) {
        if (m.timer != 0) {
            clock_.cancel(m.timer);
        }
        for (QNetworkReply* reply : m.replies) {
            if (reply != nullptr) {
                reply->abort();
            }
        }
    }
}

QString PrometheusHealth::expand(const QString& expression, const QString& service, const QString& version,
                                 const QString& region, int weight) {
    // One pass, so a value that itself reads "{region}" stays as it is.
    static const QRegularExpression placeholder(QStringLiteral("\\{(service|version|region|weight)\\}"));
    QString out;
    qsizetype from = 0;
    for (auto it = placeholder.globalMatch(expression); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        out += QStringView(expression).mid(from, match.capturedStart() - from);
        const QStringView name = match.capturedView(1);
        out += name == u"service"   ? promqlLiteral(service)
               : name == u"version" ? promqlLiteral(version)
               : name == u"region"  ? promqlLiteral(region)
                                    : QString::number(weight);
        from = match.capturedEnd();
    }
    out += QStringView(expression).mid(from);
    return out;
}

QUrl PrometheusHealth::queryUrl(const QUrl& base, const QString& expression) {
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    url.setPath(path + QStringLiteral("/api/v1/query"));
    // Encoded here, '+' included: a form decoder would read a bare '+' as a space.
    url.setQuery(QStringLiteral("query=") + QString::fromLatin1(QUrl::toPercentEncoding(expression)),
                 QUrl::StrictMode);
    return url;
}

PrometheusHealth::Value PrometheusHealth::valueOf(int status, const QByteArray& body) {
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (status < 200 || status > 299 || answer.value(QStringLiteral("status")).toString() != u"success") {
        // {"status":"error","errorType":"bad_data","error":"1:9: parse error: …"}
        const QString error = answer.value(QStringLiteral("error")).toString();
        const QString type = answer.value(QStringLiteral("errorType")).toString();
        const QString why = !error.isEmpty()
                                ? (type.isEmpty() ? QString() : type + QStringLiteral(": ")) + error
                                : QString::fromUtf8(body.left(200)).simplified();
        return {std::nullopt, QStringLiteral("prometheus answered %1").arg(status) +
                                  (why.isEmpty() ? QString() : QStringLiteral(": ") + why.left(300))};
    }
    const QJsonObject data = answer.value(QStringLiteral("data")).toObject();
    const QString type = data.value(QStringLiteral("resultType")).toString();
    const QJsonValue result = data.value(QStringLiteral("result"));
    std::optional<double> value;
    if (type == u"vector") {
        const QJsonArray series = result.toArray();
        if (series.isEmpty()) {
            return {std::nullopt, QStringLiteral("no data: the query gave an empty vector")};
        }
        value = sampleValue(series.first().toObject().value(QStringLiteral("value")));
    } else if (type == u"scalar") {
        value = sampleValue(result);
    } else {
        return {std::nullopt, QStringLiteral("a %1 result: the query must give an instant vector or a scalar")
                                  .arg(type.isEmpty() ? QStringLiteral("malformed") : type)};
    }
    if (!value) {
        return {std::nullopt, QStringLiteral("not a number")};
    }
    return {value, {}};
}

std::uint64_t PrometheusHealth::measure(const QString& service, const QString& version, const QString& region,
                                        int weight, Done done) {
    const std::uint64_t handle = next_++;
    Measurement& m = measurements_[handle];
    m.done = std::move(done);
    for (int metric = 0; metric < kMetrics; ++metric) {
        QNetworkRequest request(
            queryUrl(url_, expand(expressions_.at(metric), service, version, region, weight)));
        request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("tai-console/" TAI_VERSION));
        request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        QNetworkReply* reply = network_->get(request);
        m.replies.at(metric) = reply;
        QObject::connect(reply, &QNetworkReply::downloadProgress, reply,
                         [this, handle, metric, reply](qint64 received, qint64) {
                             const auto it = measurements_.find(handle);
                             if (received > kMaxReplyBytes && it != measurements_.end()) {
                                 it->second.values.at(metric).error =
                                     QStringLiteral("reply larger than %1 bytes").arg(kMaxReplyBytes);
                                 reply->abort();
                             }
                         });
    }
    m.timer = clock_.scheduleAfter(timeout_, [this, handle] { timedOut(handle); });
    const auto replies = m.replies;
    for (int metric = 0; metric < kMetrics; ++metric) {
        collect(handle, static_cast<Metric>(metric), replies.at(metric), alive_);
    }
    return handle;
}

void PrometheusHealth::cancel(std::uint64_t handle) {
    auto node = measurements_.extract(handle);
    if (node.empty()) {
        return;
    }
    if (node.mapped().timer != 0) {
        clock_.cancel(node.mapped().timer);
    }
    for (QNetworkReply* reply : node.mapped().replies) {
        if (reply != nullptr) {
            reply->abort();  // resumes its coroutine, which finds the measurement gone
        }
    }
}

QCoro::Task<void> PrometheusHealth::collect(std::uint64_t handle, Metric metric, QNetworkReply* reply,
                                            std::shared_ptr<bool> alive) {
    // Deleted later, not here: this resumes inside the reply's own finished() signal.
    const auto release = [](QNetworkReply* r) {
        r->deleteLater();
    };
    const std::unique_ptr<QNetworkReply, decltype(release)> owned(reply, release);
    co_await reply;  // finished, with or without an error (an abort finishes it too)
    if (!*alive) {
        co_return;
    }
    const auto it = measurements_.find(handle);
    if (it == measurements_.end()) {
        co_return;  // cancelled or timed out: already answered, or never to be
    }
    Measurement& m = it->second;
    m.replies.at(metric) = nullptr;
    Value& value = m.values.at(metric);
    if (value.error.isEmpty()) {  // not already ended for its size
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid()) {
            const QByteArray body = reply->read(kMaxReplyBytes + 1);
            value =
                body.size() > kMaxReplyBytes
                    ? Value{std::nullopt, QStringLiteral("reply larger than %1 bytes").arg(kMaxReplyBytes)}
                    : valueOf(status.toInt(), body);
        } else {
            value.error = lowerFirst(reply->errorString());
        }
    }
    if (--m.pending == 0) {
        finish(handle);
    }
}

void PrometheusHealth::timedOut(std::uint64_t handle) {
    const auto it = measurements_.find(handle);
    if (it == measurements_.end()) {
        return;
    }
    Measurement& m = it->second;
    m.timer = 0;
    for (int metric = 0; metric < kMetrics; ++metric) {
        if (m.replies.at(metric) != nullptr) {
            m.values.at(metric).error = QStringLiteral("no answer within %1 ms").arg(timeout_.count());
        }
    }
    const auto replies = m.replies;
    finish(handle);
    for (QNetworkReply* reply : replies) {
        if (reply != nullptr) {
            reply->abort();  // its coroutine finds the measurement answered
        }
    }
}

void PrometheusHealth::finish(std::uint64_t handle) {
    auto node = measurements_.extract(handle);
    if (node.empty()) {
        return;
    }
    Measurement& m = node.mapped();
    if (m.timer != 0) {
        clock_.cancel(m.timer);
    }
    HealthSample sample;
    sample.errorRate = m.values.at(ErrorRate).value.value_or(0);
    sample.p99Ms = m.values.at(P99Ms).value.value_or(0);
    QStringList errors;
    for (int metric = 0; metric < kMetrics; ++metric) {
        const Value& v = m.values.at(metric);
        if (!v.value) {
            errors << metricName(metric) + QStringLiteral(": ") +
                          (v.error.isEmpty() ? QStringLiteral("no value") : v.error);
        }
    }
    sample.error = errors.join(QStringLiteral("; "));
    m.done(sample);
}

}  // namespace tai
