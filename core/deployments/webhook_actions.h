#pragma once

#include "deployments/infra_driver.h"

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

// Deployment actions carried out by a webhook (Argo Rollouts' Web provider, Flagger's webhooks),
// for the InfraDriver seam. Each action is one request:
//   POST <url>   Content-Type: application/json   User-Agent: tai-console/<version>
//   {"deployment":"…","region":"…","action":"apply_config|roll_pods|shift_traffic","step":N}
// A 2xx answer is success. Any other status fails the action with the status and the start of the
// body; a transport failure fails it naming the failure; no answer within the timeout (on the
// injected clock) fails it with "timed out after N s" and cancels the request. Each action answers
// exactly once; a cancelled one never does.
//
// Lives on the engine thread and answers there.
class WebhookActions {
public:
    WebhookActions(QUrl url, std::chrono::seconds timeout, Clock& clock);
    ~WebhookActions();
    WebhookActions(const WebhookActions&) = delete;
    WebhookActions& operator=(const WebhookActions&) = delete;

    // Never answers inside the call.
    std::uint64_t run(DeploymentAction action, const QString& deployment, const QString& region, int step,
                      InfraDriver::ActionDone done);
    void cancel(std::uint64_t handle);
    // A rollback, told and not waited for (answers later, once, as an action does):
    //   {"deployment":"…","region":"…","action":"rollback","service":"…","version":"<back to>"}
    std::uint64_t rollBack(const QString& deployment, const QString& region, const QString& service,
                           const QString& toVersion, InfraDriver::ActionDone done);

    static QByteArray requestBody(DeploymentAction action, const QString& deployment, const QString& region,
                                  int step);
    // What an HTTP answer to `action` means.
    static ActionResult resultOf(DeploymentAction action, int httpStatus, const QByteArray& body);
    static ActionResult resultOf(const QString& action, int httpStatus, const QByteArray& body);

private:
    struct Call {
        QString action;  // apply_config, roll_pods, shift_traffic, rollback
        InfraDriver::ActionDone done;
        QNetworkReply* reply = nullptr;
        TimerId timer = 0;
        TimePoint started;
    };

    std::uint64_t post(const QString& action, const QByteArray& body, InfraDriver::ActionDone done);
    QCoro::Task<void> collect(std::uint64_t handle, QNetworkReply* reply, std::shared_ptr<bool> alive);
    void timedOut(std::uint64_t handle);

    QUrl url_;
    std::chrono::seconds timeout_;
    Clock& clock_;
    std::unique_ptr<QNetworkAccessManager> network_;
    std::unordered_map<std::uint64_t, Call> calls_;  // in flight, by handle
    std::uint64_t next_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tai
