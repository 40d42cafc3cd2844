#include "deployments/webhook_actions.h"

#include <QCoroNetworkReply>
#include <QCoroTask>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <utility>

namespace tai {

WebhookActions::WebhookActions(QUrl url, std::chrono::seconds timeout, Clock& clock)
    : url_(std::move(url)),
      timeout_(timeout),
      clock_(clock),
      network_(std::make_unique<QNetworkAccessManager>()) {
    // The clock's timer ends an action; this only frees a connection nobody waits for.
    network_->setTransferTimeout(static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(timeout_ + std::chrono::seconds(5)).count()));
}

WebhookActions::~WebhookActions() {
    *alive_ = false;  // coroutines resumed by the aborts below answer nobody
    const auto calls = std::exchange(calls_, {});
    for (const auto& [handle, call] : calls) {
        clock_.cancel(call.timer);
        call.reply->abort();
    }
}

QByteArray WebhookActions::requestBody(DeploymentAction action, const QString& deployment,
                                       const QString& region, int step) {
    return QJsonDocument(QJsonObject{{QStringLiteral("deployment"), deployment},
                                     {QStringLiteral("region"), region},
                                     {QStringLiteral("action"), toString(action)},
                                     {QStringLiteral("step"), step}})
        .toJson(QJsonDocument::Compact);
}

ActionResult WebhookActions::resultOf(DeploymentAction action, int status, const QByteArray& body) {
    return resultOf(toString(action), status, body);
}

ActionResult WebhookActions::resultOf(const QString& action, int status, const QByteArray& body) {
    if (status >= 200 && status <= 299) {
        return ActionResult{true, Duration{0}, {}};
    }
    const QString excerpt = QString::fromUtf8(body.left(200)).simplified();
    return ActionResult{false, Duration{0},
                        QStringLiteral("%1 webhook answered %2").arg(action).arg(status) +
                            (excerpt.isEmpty() ? QString() : QStringLiteral(": ") + excerpt)};
}

std::uint64_t WebhookActions::run(DeploymentAction action, const QString& deployment, const QString& region,
                                  int step, InfraDriver::ActionDone done) {
    return post(toString(action), requestBody(action, deployment, region, step), std::move(done));
}

std::uint64_t WebhookActions::rollBack(const QString& deployment, const QString& region,
                                       const QString& service, const QString& toVersion,
                                       InfraDriver::ActionDone done) {
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("deployment"), deployment},
                                                      {QStringLiteral("region"), region},
                                                      {QStringLiteral("action"), QStringLiteral("rollback")},
                                                      {QStringLiteral("service"), service},
                                                      {QStringLiteral("version"), toVersion}})
                                .toJson(QJsonDocument::Compact);
    return post(QStringLiteral("rollback"), body, std::move(done));
}

std::uint64_t WebhookActions::post(const QString& action, const QByteArray& body,
                                   InfraDriver::ActionDone done) {
    QNetworkRequest request(url_);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("tai-console/" TAI_VERSION));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    const std::uint64_t handle = next_++;
    QNetworkReply* reply = network_->post(request, body);
    calls_.emplace(handle,
                   Call{action, std::move(done), reply,
                        clock_.scheduleAfter(timeout_, [this, handle] { timedOut(handle); }), clock_.now()});
    collect(handle, reply, alive_);
    return handle;
}

void WebhookActions::cancel(std::uint64_t handle) {
    auto node = calls_.extract(handle);
    if (node.empty()) {
        return;
    }
    clock_.cancel(node.mapped().timer);
    node.mapped().reply->abort();  // resumes its coroutine, which finds the call gone
}

QCoro::Task<void> WebhookActions::collect(std::uint64_t handle, QNetworkReply* reply,
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
    auto node = calls_.extract(handle);
    if (node.empty()) {
        co_return;  // cancelled, or timed out and answered
    }
    Call& call = node.mapped();
    clock_.cancel(call.timer);
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    ActionResult result;
    if (status.isValid()) {
        result = resultOf(call.action, status.toInt(), reply->read(4096));
    } else {
        QString why = reply->errorString();
        if (!why.isEmpty()) {
            why[0] = why[0].toLower();  // "Connection refused" inside a sentence
        }
        result =
            ActionResult{false, Duration{0}, call.action + QStringLiteral(" webhook unreachable: ") + why};
    }
    result.takes = clock_.now() - call.started;
    call.done(result);
}

void WebhookActions::timedOut(std::uint64_t handle) {
    auto node = calls_.extract(handle);
    if (node.empty()) {
        return;
    }
    Call& call = node.mapped();
    QNetworkReply* reply = call.reply;
    call.done(ActionResult{false, clock_.now() - call.started,
                           QStringLiteral("%1 timed out after %2 s").arg(call.action).arg(timeout_.count())});
    reply->abort();  // its coroutine finds the call answered
}

}  // namespace tai
