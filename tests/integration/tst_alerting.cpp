// Andon alerts leaving the process (DESIGN.md §10.3, issue 6): the webhook with retries while
// its receiver is down, a real Prometheus Alertmanager on loopback, and promtool on the live
// /metrics. Everything talks to 127.0.0.1 only; the test starts and stops what it uses.
#include "andon/alert_notifiers.h"
#include "headless_process.h"
#include "http_receiver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <QCoroTask>

using namespace tai;

namespace {
QJsonObject json(const HttpResult& r) {
    return QJsonDocument::fromJson(r.body).object();
}

AlertTransition firing(const QString& subject) {
    ActiveAlert a;
    a.rule = "breaker_open";
    a.subject = subject;
    a.key = "breaker_open/" + subject;
    a.severity = Severity::Critical;
    a.message = subject + " breaker open";
    a.firingAtMs = 1'767'225'600'000;
    return AlertTransition{AlertTransition::Kind::Firing, a, false};
}

// Runs a command to completion; its exit code and everything it printed.
std::pair<int, QByteArray> runTool(const QString& program, const QStringList& args,
                                   const QByteArray& input = {}) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll()};
}
}  // namespace

class TestAlerting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void promtoolAcceptsTheLiveMetrics() {
        const QString promtool = QStandardPaths::findExecutable("promtool");
        QVERIFY2(!promtool.isEmpty(),
                 "promtool is missing: packaging/debian-packages.txt installs prometheus");
        // Errors and a notifier give every family something to say.
        HeadlessProcess engine({"--load", "300", "--fault", "error=0.3", "--alert-webhook",
                                QStringLiteral("http://127.0.0.1:%1/hook").arg(HttpReceiver::freePort())});
        QVERIFY(engine.running());
        QNetworkAccessManager nam;
        // Until the load has produced errors and the gateway breaker has opened (so the
        // notifier has had something to send): then every family has something to say.
        static const QRegularExpression tripped(
            "tai_breaker_trips_total\\{system=\"payments\",breaker=\"payment-gateway\"\\} [1-9]");
        HttpResult metrics;
        QTRY_VERIFY_WITH_TIMEOUT((metrics = QCoro::waitFor(request(nam, "GET", engine.url("/metrics"))),
                                  tripped.match(QString::fromUtf8(metrics.body)).hasMatch()),
                                 20000);
        QCOMPARE(metrics.status, 200);
        for (const char* family :
             {"tai_payments_total", "tai_breaker_state", "tai_queue_depth",
              "tai_payment_latency_seconds_bucket", "tai_alerts{", "tai_alert_notifications_total"}) {
            QVERIFY2(metrics.body.contains(family), family);
        }
        const auto [code, output] = runTool(promtool, {"check", "metrics"}, metrics.body);
        QVERIFY2(code == 0, output.constData());
    }

    void theWebhookRetriesUntilItsReceiverIsUpAndTheEngineNeverWaits() {
        const quint16 port = HttpReceiver::freePort();  // nobody listens yet
        HeadlessProcess engine({"--load", "200", "--fault", "down", "--alert-webhook",
                                QStringLiteral("http://127.0.0.1:%1/hook").arg(port)});
        QVERIFY(engine.running());
        QNetworkAccessManager nam;
        // The breaker opens, breaker_open fires, and delivery fails: retried, and counted.
        const auto failedAttempts = [&] {
            static const QRegularExpression line(
                "tai_alert_notifications_total\\{target=\"webhook\",result=\"failed_attempt\"\\} (\\d+)");
            const auto m = line.match(QCoro::waitFor(request(nam, "GET", engine.url("/metrics"))).body);
            return m.hasMatch() ? m.captured(1).toInt() : 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(failedAttempts() >= 2, 20000);
        // Meanwhile the engine goes on deciding: generated load, and a payment over HTTP.
        const auto received = [&] {
            return json(QCoro::waitFor(request(nam, "GET", engine.url("/v1/state"))))
                .value("kpis")
                .toObject()
                .value("received")
                .toInteger();
        };
        const qint64 before = received();
        const HttpResult payment = QCoro::waitFor(
            request(nam, "POST", engine.url("/v1/payments"),
                    R"({"customer_id":"cust_1","merchant_id":"merc_1","amount":"10.00","currency":"USD"})"));
        QCOMPARE(payment.status, 503);  // circuit_open: answered at once, not held for the webhook
        QTRY_VERIFY_WITH_TIMEOUT(received() > before + 100, 10000);

        HttpReceiver receiver;
        QVERIFY(receiver.listen(port));
        QTRY_VERIFY_WITH_TIMEOUT(!receiver.requests().empty(), 40000);  // the next retry gets through
        const HttpReceiver::Request& first = receiver.requests().front();
        QCOMPARE(first.method, QByteArray("POST"));
        QCOMPARE(first.path, QByteArray("/hook"));
        const QJsonObject body = QJsonDocument::fromJson(first.body).object();
        QCOMPARE(body.value("status").toString(), QStringLiteral("firing"));
        QCOMPARE(body.value("alert").toObject().value("key").toString(),
                 QStringLiteral("breaker_open/payment-gateway"));
        QCOMPARE(body.value("alert").toObject().value("severity").toString(), QStringLiteral("CRITICAL"));
    }

    void aFullOutboxDropsTheOldestAndCountsThem() {
        const quint16 port = HttpReceiver::freePort();
        AlertNotifiers::Options options;
        options.webhook = QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
        options.outboxCapacity = 2;
        options.initialBackoff = std::chrono::milliseconds(50);
        options.maxBackoff = std::chrono::milliseconds(100);
        AlertNotifiers notifiers(options);
        for (int i = 1; i <= 5; ++i) {
            notifiers.notify(firing(QStringLiteral("b%1").arg(i)));
        }
        QTRY_VERIFY(notifiers.status().front().failedAttempts >= 1);
        QCOMPARE(notifiers.status().front().dropped, std::uint64_t{3});
        HttpReceiver receiver;
        QVERIFY(receiver.listen(port));
        QTRY_COMPARE(notifiers.status().front().delivered, std::uint64_t{2});
        QStringList keys;
        for (const auto& r : receiver.requests()) {
            keys
                << QJsonDocument::fromJson(r.body).object().value("alert").toObject().value("key").toString();
        }
        QCOMPARE(keys, (QStringList{"breaker_open/b4", "breaker_open/b5"}));  // the newest, in order
        QCOMPARE(notifiers.status().front().queued, std::size_t{0});
    }

    void silencedTransitionsStayHomeButAlertmanagerHearsTheEnd() {
        HttpReceiver hook;
        HttpReceiver am;
        QVERIFY(hook.listen() && am.listen());
        AlertNotifiers::Options options;
        options.webhook = QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(hook.port()));
        options.alertmanager = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(am.port()));
        AlertNotifiers notifiers(options);
        AlertTransition announced = firing("announced");
        notifiers.notify(announced);  // sent to both
        AlertTransition quiet = firing("quiet");
        quiet.silenced = true;
        notifiers.notify(quiet);  // sent nowhere
        AlertTransition end = announced;
        end.kind = AlertTransition::Kind::Resolved;
        end.alert.state = AlertState::Resolved;
        end.alert.resolvedAtMs = end.alert.firingAtMs + 60'000;
        end.silenced = true;  // resolved under a silence
        notifiers.notify(end);
        AlertTransition quietEnd = quiet;
        quietEnd.kind = AlertTransition::Kind::Resolved;
        notifiers.notify(quietEnd);  // never announced: nothing to end
        // Each target delivers in order, so once a sentinel sent last has arrived, nothing else
        // is still on its way: exactly what came before it was sent.
        notifiers.notify(firing("sentinel"));
        QTRY_COMPARE(am.requests().size(), std::size_t{3});
        QTRY_COMPARE(hook.requests().size(), std::size_t{2});
        QVERIFY(am.requests()[2].body.contains("sentinel"));
        QVERIFY(hook.requests()[1].body.contains("sentinel"));
        QCOMPARE(am.requests()[0].path, QByteArray("/api/v2/alerts"));
        const QJsonObject resolved = QJsonDocument::fromJson(am.requests()[1].body).array()[0].toObject();
        QCOMPARE(resolved["labels"].toObject()["subject"].toString(), QStringLiteral("announced"));
        QVERIFY(resolved.contains("endsAt"));
        // It says that it is over, not the firing text as if it still held.
        QCOMPARE(resolved["annotations"].toObject()["summary"].toString(),
                 QStringLiteral("Resolved after 60 s: breaker_open on announced"));
        QCOMPARE(resolved["annotations"].toObject()["description"].toString(),
                 QStringLiteral("While firing: announced breaker open"));
    }

    void alertmanagerStoresWarningSeverityAndTheGeneratorUrl() {
        const QString binary = QStandardPaths::findExecutable("prometheus-alertmanager");
        QVERIFY2(!binary.isEmpty(),
                 "prometheus-alertmanager is missing: packaging/debian-packages.txt installs it");
        QTemporaryDir dir;
        QFile config(dir.filePath("alertmanager.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        config.close();
        const quint16 port = HttpReceiver::freePort();
        QProcess alertmanager;
        alertmanager.setProcessChannelMode(QProcess::MergedChannels);
        alertmanager.start(
            binary,
            {"--config.file=" + config.fileName(), "--storage.path=" + dir.filePath("data"),
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port), "--cluster.listen-address="});
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        QNetworkAccessManager nam;
        QTRY_VERIFY_WITH_TIMEOUT(
            QCoro::waitFor(request(nam, "GET", base.resolved(QUrl("/-/ready")))).status == 200, 20000);

        AlertNotifiers::Options options;
        options.alertmanager = base;
        AlertNotifiers notifiers(options);
        const QUrl console("http://127.0.0.1:8080/v1/alerts");
        notifiers.setGeneratorUrl(console);  // as once the API knows its port
        AlertTransition high = firing("payments");
        high.alert.rule = "error_rate";
        high.alert.key = "error_rate/payments";
        high.alert.severity = Severity::High;
        high.alert.firingAtMs = QDateTime::currentMSecsSinceEpoch();
        notifiers.notify(high);
        const auto stored = [&]() -> QJsonObject {
            const HttpResult r = QCoro::waitFor(request(nam, "GET", base.resolved(QUrl("/api/v2/alerts"))));
            for (const QJsonValue& v : QJsonDocument::fromJson(r.body).array()) {
                if (v.toObject().value("labels").toObject().value("alertname") == "error_rate") {
                    return v.toObject();
                }
            }
            return {};
        };
        QTRY_VERIFY_WITH_TIMEOUT(!stored().isEmpty(), 20000);
        const QJsonObject alert = stored();
        QCOMPARE(alert.value("labels").toObject().value("severity").toString(), QStringLiteral("warning"));
        QCOMPARE(alert.value("generatorURL").toString(), console.toString());
        QVERIFY(!alert.value("annotations").toObject().contains("control"));  // the rule has none
        // Resolved through the same path: Alertmanager lists it no more.
        AlertTransition end = high;
        end.kind = AlertTransition::Kind::Resolved;
        end.alert.state = AlertState::Resolved;
        end.alert.resolvedAtMs = QDateTime::currentMSecsSinceEpoch();
        notifiers.notify(end);
        QTRY_VERIFY_WITH_TIMEOUT(stored().isEmpty(), 20000);
        alertmanager.terminate();
        alertmanager.waitForFinished(10000);
    }

    void alertmanagerSeesTheAlertFireAndResolve() {
        const QString binary = QStandardPaths::findExecutable("prometheus-alertmanager");
        QVERIFY2(!binary.isEmpty(),
                 "prometheus-alertmanager is missing: packaging/debian-packages.txt installs it");
        QTemporaryDir dir;
        QFile config(dir.filePath("alertmanager.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        config.close();
        const quint16 port = HttpReceiver::freePort();
        QProcess alertmanager;
        alertmanager.setProcessChannelMode(QProcess::MergedChannels);
        alertmanager.start(
            binary,
            {"--config.file=" + config.fileName(), "--storage.path=" + dir.filePath("data"),
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port), "--cluster.listen-address="});
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        QNetworkAccessManager nam;
        QTRY_VERIFY_WITH_TIMEOUT(
            QCoro::waitFor(request(nam, "GET", base.resolved(QUrl("/-/ready")))).status == 200, 20000);

        HeadlessProcess engine({"--load", "200", "--fault", "down", "--alertmanager", base.toString()});
        QVERIFY(engine.running());
        const auto breakerAlert = [&]() -> QJsonObject {
            const HttpResult r = QCoro::waitFor(request(nam, "GET", base.resolved(QUrl("/api/v2/alerts"))));
            for (const QJsonValue& v : QJsonDocument::fromJson(r.body).array()) {
                const QJsonObject labels = v.toObject().value("labels").toObject();
                if (labels.value("alertname") == "breaker_open" &&
                    labels.value("subject") == "payment-gateway") {
                    return v.toObject();
                }
            }
            return {};
        };
        QTRY_VERIFY_WITH_TIMEOUT(!breakerAlert().isEmpty(), 20000);
        const QJsonObject fired = breakerAlert();
        QCOMPARE(fired.value("labels").toObject().value("severity").toString(), QStringLiteral("critical"));
        QCOMPARE(fired.value("status").toObject().value("state").toString(), QStringLiteral("active"));
        QVERIFY(fired.value("annotations").toObject().value("summary").toString().contains("breaker open"));
        const QJsonObject annotations = fired.value("annotations").toObject();
        for (const QString& key : annotations.keys()) {
            QVERIFY2(!annotations.value(key).toString().isEmpty(), qPrintable(key));  // none sent empty
        }
        QCOMPARE(annotations.value("control").toString(), QStringLiteral("force_half_open"));

        // Recovery, the operator's way: the gateway is back, force a probe, the breaker closes.
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + engine.token()}};
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/gateway-fault"), "{}", auth)).status,
            200);
        QCOMPARE(QCoro::waitFor(request(nam, "POST",
                                        engine.url("/v1/control/breakers/payment-gateway/force-half-open"),
                                        R"({"reason":"gateway recovered"})", auth))
                     .status,
                 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            json(QCoro::waitFor(request(nam, "GET", engine.url("/v1/alerts")))).value("light") == "GREEN",
            20000);
        // Resolved there too: Alertmanager no longer lists it as active.
        QTRY_VERIFY_WITH_TIMEOUT(breakerAlert().isEmpty(), 20000);

        alertmanager.terminate();
        alertmanager.waitForFinished(10000);
    }
};

QTEST_GUILESS_MAIN(TestAlerting)
#include "tst_alerting.moc"
