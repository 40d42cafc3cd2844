// Deployment actions through a webhook (issue 15, Argo's Web provider, Flagger's webhooks): each
// action of a rollout is one POST to a loopback receiver, whose status is the action's result;
// a failure, a timeout and a cancel behave as the README's wire contract says, in process and
// through a headless tai-console whose policy names the webhook.
#include "base/real_clock.h"
#include "deployments/deployment_orchestrator.h"
#include "deployments/external_infra.h"
#include "deployments/infra_simulator.h"
#include "headless_process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <vector>

using namespace tai;
using namespace std::chrono_literals;

namespace {

// A deployment webhook on loopback: answers 200, 500 or never, and keeps every action it was sent
// with its headers. Counts the connections that closed, so a test can see a request abandoned.
class ActionReceiver : public QObject {
public:
    enum class Mode { Answer, Fail, Hang };

    struct Action {
        QByteArray method;
        QByteArray path;
        QByteArray contentType;
        QByteArray userAgent;
        QJsonObject body;
    };

    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                    ++closed_;
                    buffers_.erase(socket);
                    socket->deleteLater();
                });
            }
        });
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/actions").arg(server_.serverPort()); }
    void setMode(Mode mode) { mode_ = mode; }
    const std::vector<Action>& actions() const { return actions_; }
    int closed() const { return closed_; }
    // "apply_config us-west-2", … in the order they arrived.
    QStringList names() const {
        QStringList out;
        for (const Action& a : actions_) {
            out << QString(a.body.value("action").toString() + ' ' + a.body.value("region").toString());
        }
        return out;
    }

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        Action action;
        qsizetype length = 0;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        action.method = requestLine.value(0);
        action.path = requestLine.value(1);
        for (const QByteArray& line : lines) {
            const QByteArray lower = line.toLower();
            const QByteArray value = line.mid(line.indexOf(':') + 1).trimmed();
            if (lower.startsWith("content-length:")) {
                length = value.toLongLong();
            } else if (lower.startsWith("content-type:")) {
                action.contentType = value;
            } else if (lower.startsWith("user-agent:")) {
                action.userAgent = value;
            }
        }
        if (buffer.size() < end + 4 + length) {
            return;
        }
        action.body = QJsonDocument::fromJson(buffer.mid(end + 4, length)).object();
        buffer.remove(0, end + 4 + length);
        actions_.push_back(action);
        switch (mode_) {
            case Mode::Hang:
                return;
            case Mode::Fail:
                answer(socket, "500 Internal Server Error", R"({"error":"kubectl apply: quota exceeded"})");
                return;
            case Mode::Answer:
                answer(socket, "200 OK", R"({"ok":true})");
                return;
        }
    }
    static void answer(QTcpSocket* socket, const QByteArray& status, const QByteArray& body) {
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    Mode mode_ = Mode::Answer;
    std::map<QTcpSocket*, QByteArray> buffers_;
    std::vector<Action> actions_;
    int closed_ = 0;
    // Last, so it goes first: its sockets say disconnected() as they go, into the members above.
    QTcpServer server_;
};

// One action through WebhookActions; every answer it gave.
struct OneAction {
    explicit OneAction(const QString& url, std::chrono::seconds timeout = 30s)
        : webhook(QUrl(url), timeout, clock) {}
    std::uint64_t run(DeploymentAction action = DeploymentAction::ApplyConfig) {
        return webhook.run(action, "d-1", "us-west-2", 3,
                           [this](const ActionResult& result) { answers.push_back(result); });
    }
    RealClock clock;
    WebhookActions webhook;
    std::vector<ActionResult> answers;
};

// An orchestrator on the real clock whose actions go to the webhook (health stays simulated).
struct WebhookRollouts {
    explicit WebhookRollouts(const QString& url, std::chrono::seconds timeout = 30s)
        : simulator(7, config().regions, clock),
          infra(simulator, nullptr, std::make_unique<WebhookActions>(QUrl(url), timeout, clock)) {
        DeploymentListener listener;
        listener.alert = [this](Severity, const QString& rule, const QString&, const QString& message,
                                const QString&) {
            alerts << rule + ": " + message;
        };
        listener.action = [this](const DeploymentActionRecord& a) {
            records << a.action + ' ' + a.region + (a.ok ? QString() : " failed: " + a.error);
        };
        orchestrator = std::make_unique<DeploymentOrchestrator>(settings, clock, infra, listener);
    }
    static DeploymentsConfig config() {
        DeploymentsConfig c;
        c.regions = QStringList{"us-west-2", "us-east-1"};
        c.stages = {{"canary", 5, 0}, {"staging", 25, 0}, {"prod", 100, 0}};
        c.bakeTimeS = 0;
        c.healthIntervalS = 1;
        return c;
    }
    QString deploy() {
        DeploymentSignal s;
        s.service = "api-service";
        s.version = "v2.0.0";
        s.requestedBy = "ci";
        return orchestrator->request(s).id;
    }
    QString status(const QString& id) const { return toString(orchestrator->view(id)->status); }

    DeploymentsConfig settings = config();
    RealClock clock;
    InfraSimulator simulator;
    ExternalInfra infra;
    std::unique_ptr<DeploymentOrchestrator> orchestrator;
    QStringList alerts;
    QStringList records;
};

QByteArray policy(const QString& webhookUrl) {
    return QJsonDocument(
               QJsonObject{
                   {"deployments",
                    QJsonObject{
                        {"regions", QJsonArray{"us-west-2", "us-east-1"}},
                        {"stages",
                         QJsonArray{QJsonObject{{"name", "canary"}, {"weight", 5}, {"duration_s", 1}},
                                    QJsonObject{{"name", "prod"}, {"weight", 100}, {"duration_s", 0}}}},
                        {"bake_time_s", 0},
                        {"health_interval_s", 1},
                        {"action_webhook", QJsonObject{{"url", webhookUrl}, {"timeout_s", 5}}}}}})
        .toJson();
}

QJsonObject deployment(QNetworkAccessManager& nam, const HeadlessProcess& engine, const QString& id) {
    return QJsonDocument::fromJson(
               QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/" + id))).body)
        .object();
}

}  // namespace

class TestActionWebhook : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void postsTheActionAsJsonAndA2xxIsSuccess() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        OneAction one(receiver.url());
        one.run(DeploymentAction::RollPods);
        QVERIFY(one.answers.empty());  // never inside the call
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QVERIFY2(one.answers[0].ok, qPrintable(one.answers[0].error));
        QCOMPARE(receiver.actions().size(), std::size_t{1});
        const ActionReceiver::Action& sent = receiver.actions()[0];
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QByteArray("/actions"));
        QCOMPARE(sent.contentType, QByteArray("application/json"));
        QCOMPARE(sent.userAgent, QByteArray("tai-console/" TAI_VERSION));
        QCOMPARE(sent.body,
                 (QJsonObject{
                     {"deployment", "d-1"}, {"region", "us-west-2"}, {"action", "roll_pods"}, {"step", 3}}));
    }

    void aNon2xxAnswerFailsTheActionWithItsStatusAndBody() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Fail);
        OneAction one(receiver.url());
        one.run();
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QVERIFY(!one.answers[0].ok);
        QCOMPARE(one.answers[0].error,
                 QStringLiteral(
                     R"(apply_config webhook answered 500: {"error":"kubectl apply: quota exceeded"})"));
    }

    void aRefusedConnectionFailsTheActionNamingIt() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();  // nobody listens there now
        OneAction one(QStringLiteral("http://127.0.0.1:%1/actions").arg(port));
        one.run(DeploymentAction::ShiftTraffic);
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QVERIFY(!one.answers[0].ok);
        QCOMPARE(one.answers[0].error,
                 QStringLiteral("shift_traffic webhook unreachable: connection refused"));
    }

    void aWebhookThatNeverAnswersTimesOutOnce() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Hang);
        OneAction one(receiver.url(), 1s);
        one.run();
        QTRY_COMPARE_WITH_TIMEOUT(one.answers.size(), std::size_t{1}, 5000);
        QVERIFY(!one.answers[0].ok);
        QCOMPARE(one.answers[0].error, QStringLiteral("apply_config timed out after 1 s"));
        QVERIFY(one.answers[0].takes >= 1s);
        // The request is abandoned, and the abort answers nobody a second time.
        QTRY_COMPARE(receiver.closed(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(one.answers.size(), std::size_t{1});
    }

    void aCancelledActionIsAbortedAndNeverAnswers() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Hang);
        std::vector<ActionResult> answers;  // outlives the driver
        RealClock clock;
        auto webhook = std::make_unique<WebhookActions>(QUrl(receiver.url()), 1s, clock);
        const auto record = [&answers](const ActionResult& result) {
            answers.push_back(result);
        };
        const std::uint64_t first =
            webhook->run(DeploymentAction::ApplyConfig, "d-1", "us-west-2", 1, record);
        webhook->run(DeploymentAction::RollPods, "d-1", "us-west-2", 2, record);
        QTRY_COMPARE(receiver.actions().size(), std::size_t{2});
        webhook->cancel(first);
        QTRY_COMPARE(receiver.closed(), 1);
        // The other goes away with the driver: no answer either, not even its timeout.
        const TimePoint pastTimeout = clock.now() + 1500ms;
        webhook.reset();
        QTRY_COMPARE(receiver.closed(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(clock.now() > pastTimeout, 5000);
        QVERIFY(answers.empty());
    }

    void theOrchestratorPostsEveryActionInOrder() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        WebhookRollouts rollouts(receiver.url());
        const QString id = rollouts.deploy();
        QTRY_COMPARE_WITH_TIMEOUT(rollouts.status(id), QStringLiteral("completed"), 20000);
        QCOMPARE(receiver.names(),
                 (QStringList{"apply_config us-west-2", "roll_pods us-west-2", "shift_traffic us-west-2",
                              "shift_traffic us-west-2", "shift_traffic us-west-2", "apply_config us-east-1",
                              "roll_pods us-east-1", "shift_traffic us-east-1", "shift_traffic us-east-1",
                              "shift_traffic us-east-1"}));
        int step = 0;
        for (const ActionReceiver::Action& a : receiver.actions()) {
            QCOMPARE(a.body.value("deployment").toString(), id);
            QVERIFY2(a.body.value("step").toInt() > step, "steps only grow");
            step = a.body.value("step").toInt();
        }
        QCOMPARE(rollouts.records.size(), 10);  // each traced as it ran
    }

    void a500FailsTheRolloutAsAFailedSimulatorActionDoes() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Fail);
        WebhookRollouts rollouts(receiver.url());
        const QString id = rollouts.deploy();
        QTRY_COMPARE_WITH_TIMEOUT(rollouts.status(id), QStringLiteral("failed"), 10000);
        const RolloutView view = *rollouts.orchestrator->view(id);
        QCOMPARE(view.regions[0].stage, QStringLiteral("rolled_back"));
        QCOMPARE(view.regions[1].stage, QStringLiteral("cancelled"));
        // Nothing after the failure but the rollback, which the webhook is told of.
        QTRY_COMPARE(receiver.names(), (QStringList{"apply_config us-west-2", "rollback us-west-2"}));
        const QJsonObject rollback = receiver.actions().back().body;
        QCOMPARE(rollback.value("service").toString(), QStringLiteral("api-service"));
        QCOMPARE(rollback.value("version").toString(), QStringLiteral("v1.0.0"));  // back to the stable one
        QCOMPARE(rollback.value("deployment").toString(), id);
        // It answered 500 too: the operator is told that the rollback is not confirmed.
        QTRY_VERIFY2(
            rollouts.alerts.contains(QString("rollback_unconfirmed: rollback of " + id +
                                             " in us-west-2 not confirmed: rollback webhook answered 500: "
                                             R"({"error":"kubectl apply: quota exceeded"})")),
            qPrintable(rollouts.alerts.join('\n')));
        const QString error =
            R"(apply_config webhook answered 500: {"error":"kubectl apply: quota exceeded"})";
        QVERIFY2(
            rollouts.alerts.contains(QString("deployment_failed: deployment " + id + " failed: " + error)),
            qPrintable(rollouts.alerts.join('\n')));
        QCOMPARE(rollouts.records.value(0), QString("apply_config us-west-2 failed: " + error));
    }

    void anActionThatTimesOutFailsTheRollout() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Hang);
        WebhookRollouts rollouts(receiver.url(), 1s);
        const QString id = rollouts.deploy();
        QTRY_COMPARE_WITH_TIMEOUT(rollouts.status(id), QStringLiteral("failed"), 10000);
        QVERIFY2(
            rollouts.orchestrator->view(id)->regions[0].note.contains("apply_config timed out after 1 s"),
            qPrintable(rollouts.orchestrator->view(id)->regions[0].note));
    }

    void abortWhileAnActionIsInFlightCancelsItWithoutAnAnswer() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setMode(ActionReceiver::Mode::Hang);
        WebhookRollouts rollouts(receiver.url(), 2s);
        const QString id = rollouts.deploy();
        QTRY_COMPARE(receiver.actions().size(), std::size_t{1});
        QCOMPARE(said(rollouts.orchestrator->control(id, RolloutControl::Abort, {}, "ops")), QString());
        QCOMPARE(rollouts.status(id), QStringLiteral("aborted"));
        QTRY_COMPARE(receiver.closed(), 1);  // the request was aborted
        // Past the action timeout: neither an answer nor a timeout ever reaches the rollout.
        QTRY_COMPARE_WITH_TIMEOUT(rollouts.clock.now() > rollouts.orchestrator->view(id)->createdAt + 3s,
                                  true, 5000);
        QCOMPARE(rollouts.records, QStringList{"rollback us-west-2"});
        QCOMPARE(rollouts.status(id), QStringLiteral("aborted"));
        // The only other request is the rollback itself, which this webhook never answers either.
        QCOMPARE(receiver.names(), (QStringList{"apply_config us-west-2", "rollback us-west-2"}));
        QTRY_VERIFY2(
            rollouts.alerts.contains(QString("rollback_unconfirmed: rollback of " + id +
                                             " in us-west-2 not confirmed: rollback timed out after 2 s")),
            qPrintable(rollouts.alerts.join('\n')));
    }

    void aHeadlessEngineRunsItsRolloutsThroughThePolicysWebhook() {
        ActionReceiver receiver;
        QVERIFY(receiver.listen());
        QTemporaryDir dir;
        QFile file(dir.filePath("policy.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(policy(receiver.url()));
        file.close();
        HeadlessProcess engine({"--ephemeral", "--policy", file.fileName()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        QCOMPARE(QCoro::waitFor(request(nam, "POST", engine.url("/v1/deployments"),
                                        R"({"id":"d-1","service":"api-service","version":"v2.0.0"})"))
                     .status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-1").value("status").toString(),
                                  QStringLiteral("completed"), 20000);
        QCOMPARE(receiver.names(),
                 (QStringList{"apply_config us-west-2", "roll_pods us-west-2", "shift_traffic us-west-2",
                              "shift_traffic us-west-2", "apply_config us-east-1", "roll_pods us-east-1",
                              "shift_traffic us-east-1", "shift_traffic us-east-1"}));
        for (const ActionReceiver::Action& a : receiver.actions()) {
            QCOMPARE(a.body.value("deployment").toString(), QStringLiteral("d-1"));
            QCOMPARE(a.userAgent, QByteArray("tai-console/" TAI_VERSION));
        }

        // The webhook's 500 is the action's failure: the rollout fails and rolls back.
        receiver.setMode(ActionReceiver::Mode::Fail);
        QCOMPARE(QCoro::waitFor(request(nam, "POST", engine.url("/v1/deployments"),
                                        R"({"id":"d-2","service":"web-frontend","version":"v2.0.0"})"))
                     .status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-2").value("status").toString(),
                                  QStringLiteral("failed"), 10000);
        const QJsonObject failed = deployment(nam, engine, "d-2");
        QCOMPARE(failed.value("regions").toArray().at(0)["stage"].toString(), QStringLiteral("rolled_back"));
        QVERIFY2(failed.value("regions").toArray().at(0)["note"].toString().contains("webhook answered 500"),
                 QJsonDocument(failed).toJson().constData());
    }

private:
    static QString said(const std::optional<Refusal>& refused) {
        return refused ? refused->text() : QString();
    }
};

QTEST_GUILESS_MAIN(TestActionWebhook)
#include "tst_action_webhook.moc"
