#pragma once

#include "payments/payment_gateway.h"

#include <QUrl>

#include <chrono>
#include <memory>
#include <unordered_map>

class QNetworkAccessManager;
class QNetworkReply;

namespace QCoro {
template <typename T>
class Task;
}

namespace tai {

// A real payment gateway over HTTP (DESIGN.md §4.3, §10.3), called with QCoro (`co_await` on the
// QNetworkReply). The wire contract (README "Gateway wire contract"):
//   POST <url>   Content-Type: application/json   Idempotency-Key: <the payment's key, if any>
//                traceparent: 00-<trace id>-<span id>-01   User-Agent: tai-console/<version>
//   {"payment_id": "…", "amount_minor": 1250, "amount": "12.50", "currency": "USD",
//    "customer_id": "…", "merchant_id": "…"}
// A 2xx answer whose JSON body has a non-empty "receipt_id" is `charged` with that receipt; any
// other answer (a non-2xx status, a 2xx without a receipt) and a transport failure (connection
// refused, reset, DNS) is `gateway_error`, at once. No answer within the action timeout is
// `gateway_timeout`: the pipeline's own timer ends the call and cancels the request.
//
// Lives on the engine thread and answers there.
class HttpGateway final : public PaymentGateway {
public:
    HttpGateway(QUrl url, std::chrono::seconds actionTimeout);
    ~HttpGateway() override;
    HttpGateway(const HttpGateway&) = delete;
    HttpGateway& operator=(const HttpGateway&) = delete;

    void charge(const PaymentSignal& signal, const QString& traceId, std::uint64_t call,
                GatewayAnswers& answers) override;
    void cancel(std::uint64_t call) override;
    QString name() const override { return url_.toString(QUrl::RemoveUserInfo); }

    // The request body for `signal` (the wire contract above).
    static QByteArray requestBody(const PaymentSignal& signal);
    // What an HTTP answer means: charged with its receipt, or an error saying why.
    static GatewayCallResult resultOf(int httpStatus, const QByteArray& body);

private:
    QCoro::Task<void> run(std::uint64_t call, QNetworkReply* reply, GatewayAnswers* answers,
                          std::shared_ptr<bool> alive);

    QUrl url_;
    std::chrono::seconds actionTimeout_;
    std::unique_ptr<QNetworkAccessManager> network_;
    std::unordered_map<std::uint64_t, QNetworkReply*> replies_;  // in flight, by call
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tai
