#include "andon/alert_notifiers.h"

#include "andon/alert_json.h"
#include "base/rfc3339.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace tai {

using Steady = std::chrono::steady_clock;

struct AlertNotifiers::Target {
    enum class Kind { Webhook, Alertmanager };
    Kind kind = Kind::Webhook;
    QUrl url;  // where bodies are POSTed
    // Guarded by AlertNotifiers::mutex_.
    std::deque<QByteArray> outbox;
    std::map<QString, ActiveAlert> firing;  // Alertmanager: re-sent until resolved
    NotifierStatus status;
    // Worker thread only.
    bool inFlight = false;
    std::chrono::milliseconds backoff{0};
    Steady::time_point nextAttempt{};
    Steady::time_point nextResend{};
};

// Runs on the notifier thread: polls the outboxes every 50 ms and keeps at most one request per
// target in flight, so each target sees its messages in order.
class AlertNotifiers::Worker : public QObject {
public:
    explicit Worker(AlertNotifiers& owner) : owner_(owner) {}

    void begin() {
        network_ = new QNetworkAccessManager(this);
        timer_ = new QTimer(this);
        QObject::connect(timer_, &QTimer::timeout, this, [this] { poll(); });
        timer_->start(50);
    }

private:
    void poll() {
        const auto now = Steady::now();
        for (auto& target : owner_.targets_) {
            if (target->kind == Target::Kind::Alertmanager && now >= target->nextResend) {
                resendFiring(*target, now);
            }
            if (target->inFlight || now < target->nextAttempt) {
                continue;
            }
            QByteArray body;
            {
                std::lock_guard lock(owner_.mutex_);
                if (target->outbox.empty()) {
                    continue;
                }
                body = target->outbox.front();
            }
            send(*target, body);
        }
    }

    void resendFiring(Target& target, Steady::time_point now) {
        target.nextResend = now + owner_.options_.resendFiring;
        std::vector<ActiveAlert> firing;
        QUrl generatorUrl;
        {
            std::lock_guard lock(owner_.mutex_);
            generatorUrl = owner_.options_.generatorUrl;
            if (!target.outbox.empty()) {
                return;  // the queue carries them already
            }
            for (const auto& [key, alert] : target.firing) {
                firing.push_back(alert);
            }
        }
        if (!firing.empty()) {
            owner_.enqueue(target, alertmanagerBody(firing, generatorUrl));
        }
    }

    void send(Target& target, const QByteArray& body) {
        QNetworkRequest request(target.url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setTransferTimeout(static_cast<int>(owner_.options_.requestTimeout.count()));
        target.inFlight = true;
        QNetworkReply* reply = network_->post(request, body);
        QObject::connect(reply, &QNetworkReply::finished, this, [this, &target, reply] {
            reply->deleteLater();
            target.inFlight = false;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
            std::lock_guard lock(owner_.mutex_);
            if (ok) {
                if (!target.outbox.empty()) {
                    target.outbox.pop_front();
                }
                ++target.status.delivered;
                target.status.lastError.clear();
                target.backoff = std::chrono::milliseconds{0};
                target.nextAttempt = Steady::now();
            } else {
                ++target.status.failedAttempts;
                target.status.lastError = reply->error() != QNetworkReply::NoError
                                              ? reply->errorString()
                                              : QStringLiteral("HTTP %1").arg(status);
                target.backoff = target.backoff.count() == 0
                                     ? owner_.options_.initialBackoff
                                     : std::min(target.backoff * 2, owner_.options_.maxBackoff);
                target.nextAttempt = Steady::now() + target.backoff;
                spdlog::warn("andon {}: delivery to {} failed ({}); retrying in {} ms",
                             target.status.name.toStdString(), target.status.url.toStdString(),
                             target.status.lastError.toStdString(), target.backoff.count());
            }
            target.status.queued = target.outbox.size();
        });
    }

    AlertNotifiers& owner_;
    QNetworkAccessManager* network_ = nullptr;
    QTimer* timer_ = nullptr;
};

AlertNotifiers::AlertNotifiers(Options options) : options_(std::move(options)) {
    if (options_.webhook.isValid() && !options_.webhook.isEmpty()) {
        auto target = std::make_unique<Target>();
        target->kind = Target::Kind::Webhook;
        target->url = options_.webhook;
        target->status.name = QStringLiteral("webhook");
        target->status.url = options_.webhook.toString();
        targets_.push_back(std::move(target));
    }
    if (options_.alertmanager.isValid() && !options_.alertmanager.isEmpty()) {
        auto target = std::make_unique<Target>();
        target->kind = Target::Kind::Alertmanager;
        QUrl url = options_.alertmanager;
        QString path = url.path();
        if (!path.endsWith(QStringLiteral("/api/v2/alerts"))) {
            url.setPath((path.endsWith(QLatin1Char('/')) ? path.chopped(1) : path) +
                        QStringLiteral("/api/v2/alerts"));
        }
        target->url = url;
        target->status.name = QStringLiteral("alertmanager");
        target->status.url = url.toString();
        targets_.push_back(std::move(target));
    }
    if (targets_.empty()) {
        return;
    }
    thread_ = std::make_unique<QThread>();
    thread_->setObjectName(QStringLiteral("tai-notifiers"));
    worker_ = new Worker(*this);
    worker_->moveToThread(thread_.get());
    QObject::connect(thread_.get(), &QThread::started, worker_, [this] { worker_->begin(); });
    QObject::connect(thread_.get(), &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
}

AlertNotifiers::~AlertNotifiers() {
    if (thread_) {
        thread_->quit();
        thread_->wait();
    }
}

void AlertNotifiers::enqueue(Target& target, QByteArray body) {
    std::lock_guard lock(mutex_);
    while (target.outbox.size() >= std::max<std::size_t>(1, options_.outboxCapacity)) {
        target.outbox.pop_front();  // the oldest goes first; the newest says what holds now
        ++target.status.dropped;
    }
    target.outbox.push_back(std::move(body));
    target.status.queued = target.outbox.size();
}

void AlertNotifiers::notify(const AlertTransition& transition) {
    const bool firing = transition.kind == AlertTransition::Kind::Firing;
    for (auto& target : targets_) {
        if (target->kind == Target::Kind::Webhook) {
            if (!transition.silenced) {
                enqueue(*target, webhookBody(transition));
            }
            continue;
        }
        // Alertmanager keeps state: a silenced alert is never announced, but one it was told
        // about must be resolved there even when the resolution happens under a silence.
        bool send = false;
        QUrl generatorUrl;
        {
            std::lock_guard lock(mutex_);
            generatorUrl = options_.generatorUrl;
            if (firing && !transition.silenced) {
                target->firing[transition.alert.key] = transition.alert;
                send = true;
            } else if (!firing) {
                send = target->firing.erase(transition.alert.key) > 0;
            }
        }
        if (send) {
            enqueue(*target, alertmanagerBody({transition.alert}, generatorUrl));
        }
    }
}

void AlertNotifiers::setGeneratorUrl(const QUrl& url) {
    std::lock_guard lock(mutex_);
    options_.generatorUrl = url;
}

std::vector<NotifierStatus> AlertNotifiers::status() const {
    std::lock_guard lock(mutex_);
    std::vector<NotifierStatus> out;
    for (const auto& target : targets_) {
        out.push_back(target->status);
    }
    return out;
}

QByteArray AlertNotifiers::webhookBody(const AlertTransition& t) {
    const QString status =
        t.kind == AlertTransition::Kind::Firing ? QStringLiteral("firing") : QStringLiteral("resolved");
    const std::int64_t at =
        t.kind == AlertTransition::Kind::Firing ? t.alert.firingAtMs : t.alert.resolvedAtMs;
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                     {QStringLiteral("source"), QStringLiteral("tai-console")},
                                     {QStringLiteral("status"), status},
                                     {QStringLiteral("at"), formatRfc3339(fromEpochMs(at))},
                                     {QStringLiteral("alert"), alertJson(t.alert, at)}})
        .toJson(QJsonDocument::Compact);
}

namespace {

QString number(double value) {
    return QString::number(value, 'g', 6);
}

// Annotations that say something: a rule without a control gets none, never "control": "".
// A resolved alert says that it is over and what it was, not its last firing value as if current.
QJsonObject alertmanagerAnnotations(const ActiveAlert& a) {
    QJsonObject annotations;
    if (a.state == AlertState::Resolved) {
        const std::int64_t heldMs = a.resolvedAtMs - (a.firingAtMs > 0 ? a.firingAtMs : a.raisedAtMs);
        annotations.insert(QStringLiteral("summary"), QStringLiteral("Resolved after %1 s: %2 on %3")
                                                          .arg(std::max<std::int64_t>(0, heldMs) / 1000)
                                                          .arg(a.rule, a.subject));
        annotations.insert(QStringLiteral("description"),
                           QString(QStringLiteral("While firing: ") + a.message));
        return annotations;
    }
    annotations.insert(QStringLiteral("summary"), a.message);
    annotations.insert(
        QStringLiteral("description"),
        a.event ? QStringLiteral("Raised by an event; it fires once and resolves after the event hold time.")
                : QStringLiteral("Value %1 against threshold %2; held for %3 s before firing.")
                      .arg(number(a.value), number(a.threshold))
                      .arg(a.forS));
    annotations.insert(QStringLiteral("value"), number(a.value));
    annotations.insert(QStringLiteral("threshold"), number(a.threshold));
    if (!a.control.isEmpty()) {
        annotations.insert(QStringLiteral("control"), a.control);
    }
    return annotations;
}

}  // namespace

QString alertmanagerSeverity(Severity severity) {
    switch (severity) {
        case Severity::Critical:
            return QStringLiteral("critical");
        case Severity::High:
            return QStringLiteral("warning");
        case Severity::Low:
            break;
    }
    return QStringLiteral("info");
}

QByteArray AlertNotifiers::alertmanagerBody(const std::vector<ActiveAlert>& alerts,
                                            const QUrl& generatorUrl) {
    QJsonArray out;
    for (const ActiveAlert& a : alerts) {
        QJsonObject alert{{QStringLiteral("labels"),
                           QJsonObject{{QStringLiteral("alertname"), a.rule},
                                       {QStringLiteral("severity"), alertmanagerSeverity(a.severity)},
                                       {QStringLiteral("subject"), a.subject},
                                       {QStringLiteral("source"), QStringLiteral("tai-console")}}},
                          {QStringLiteral("annotations"), alertmanagerAnnotations(a)},
                          {QStringLiteral("startsAt"),
                           formatRfc3339(fromEpochMs(a.firingAtMs > 0 ? a.firingAtMs : a.raisedAtMs))}};
        if (!generatorUrl.isEmpty()) {
            alert.insert(QStringLiteral("generatorURL"), generatorUrl.toString());
        }
        if (a.state == AlertState::Resolved) {
            alert.insert(QStringLiteral("endsAt"), formatRfc3339(fromEpochMs(a.resolvedAtMs)));
        }
        out.append(alert);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

}  // namespace tai
