#include "payments/http_gateway.h"

#include "base/money.h"
#include "base/seeded_random.h"

#include <QCoroNetworkReply>
#include <QCoroTask>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tai {

HttpGateway::HttpGateway(QUrl url, std::chrono::seconds actionTimeout)
    : url_(std::move(url)),
      actionTimeout_(actionTimeout),
      network_(std::make_unique<QNetworkAccessManager>()) {
    // The pipeline's action timeout ends a call; this only frees a connection nobody waits for.
    network_->setTransferTimeout(static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(actionTimeout_ + std::chrono::seconds(5))
            .count()));
}

HttpGateway::~HttpGateway() {
    *alive_ = false;  // coroutines resumed by the aborts below answer nobody
    const auto replies = std::move(replies_);
    for (const auto& [call, reply] : replies) {
        reply->abort();
    }
}

QByteArray HttpGateway::requestBody(const PaymentSignal& s) {
    return QJsonDocument(QJsonObject{{QStringLiteral("payment_id"), s.id},
                                     {QStringLiteral("amount_minor"), static_cast<qint64>(s.amountMinor)},
                                     {QStringLiteral("amount"), formatMinorUnits(s.amountMinor)},
                                     {QStringLiteral("currency"), s.currency},
                                     {QStringLiteral("customer_id"), s.customerId},
                                     {QStringLiteral("merchant_id"), s.merchantId}})
        .toJson(QJsonDocument::Compact);
}

GatewayCallResult HttpGateway::resultOf(int status, const QByteArray& body) {
    GatewayCallResult result;
    if (status < 200 || status > 299) {
        result.kind = GatewayCallKind::Error;
        result.error =
            QStringLiteral("gateway answered %1").arg(status) +
            (body.isEmpty() ? QString()
                            : QStringLiteral(": ") + QString::fromUtf8(body.left(200)).simplified());
        return result;
    }
    const QString receipt =
        QJsonDocument::fromJson(body).object().value(QStringLiteral("receipt_id")).toString();
    if (receipt.isEmpty() || receipt.size() > 256) {
        result.kind = GatewayCallKind::Error;
        result.error = QStringLiteral("gateway answered %1 without a receipt_id").arg(status);
        return result;
    }
    result.receiptId = receipt;
    return result;
}

void HttpGateway::charge(const PaymentSignal& signal, const QString& traceId, std::uint64_t call,
                         GatewayAnswers& answers) {
    QNetworkRequest request(url_);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("tai-console/" TAI_VERSION));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (signal.idempotencyKey) {
        request.setRawHeader(QByteArrayLiteral("Idempotency-Key"), signal.idempotencyKey->toUtf8());
    }
    if (traceId.size() == 32) {
        // The gateway call is a child of this payment's trace.
        const std::uint64_t span =
            SeededRandom::hash(QString(traceId + QStringLiteral(":gateway_call"))) | 1u;
        request.setRawHeader(
            QByteArrayLiteral("traceparent"),
            "00-" + traceId.toLatin1() + '-' +
                QByteArray::number(static_cast<qulonglong>(span), 16).rightJustified(16, '0') + "-01");
    }
    QNetworkReply* reply = network_->post(request, requestBody(signal));
    replies_.emplace(call, reply);
    run(call, reply, &answers, alive_);
}

void HttpGateway::cancel(std::uint64_t call) {
    if (const auto it = replies_.find(call); it != replies_.end()) {
        QNetworkReply* reply = it->second;
        replies_.erase(it);
        reply->abort();  // resumes its coroutine, which sees the call is no longer wanted
    }
}

QCoro::Task<void> HttpGateway::run(std::uint64_t call, QNetworkReply* reply, GatewayAnswers* answers,
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
    const auto it = replies_.find(call);
    if (it == replies_.end()) {
        co_return;  // cancelled: the pipeline already answered gateway_timeout
    }
    replies_.erase(it);
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    GatewayCallResult result;
    if (status.isValid()) {
        result = resultOf(status.toInt(), reply->readAll());
    } else {
        result.kind = GatewayCallKind::Error;
        result.error = QStringLiteral("gateway unreachable: ") + reply->errorString();
    }
    answers->gatewayAnswered(call, result);
}

}  // namespace tai
