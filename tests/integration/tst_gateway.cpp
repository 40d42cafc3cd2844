// A real HTTP payment gateway (DESIGN.md §4.3, §10.3, issue 13): `tai-console --gateway-url`
// charges through a loopback test gateway that answers, fails, is slow, hangs or refuses; the
// breaker is fed by those real outcomes; the idempotency key travels as Idempotency-Key; and
// kill -9 still loses no acknowledged payment.
#include "headless_process.h"
#include "test_gateway.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {
const QString kPolicy = QStringLiteral(TAI_TEST_DATA "/policy-gateway.json");

QByteArray payment(const QString& customer, const QString& key = {}) {
    QJsonObject o{{"customer_id", customer}, {"merchant_id", "m1"}, {"amount", "12.50"}, {"currency", "USD"}};
    if (!key.isEmpty()) {
        o.insert("idempotency_key", key);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject bodyOf(const HttpResult& r) {
    return QJsonDocument::fromJson(r.body).object();
}

HttpResult post(QNetworkAccessManager& nam, const HeadlessProcess& engine, const QByteArray& body) {
    return QCoro::waitFor(request(nam, "POST", engine.url("/v1/payments"), body));
}

QString gatewayBreaker(QNetworkAccessManager& nam, const HeadlessProcess& engine) {
    const HttpResult state = QCoro::waitFor(request(nam, "GET", engine.url("/v1/state")));
    for (const QJsonValue& b : bodyOf(state).value("breakers").toArray()) {
        if (b.toObject().value("name").toString() == "payment-gateway") {
            return b.toObject().value("state").toString();
        }
    }
    return {};
}
}  // namespace

class TestGateway_ : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chargesThroughTheGatewayWithTheIdempotencyKey() {
        TestGateway gateway;
        QVERIFY(gateway.listen());
        HeadlessProcess engine({"--ephemeral", "--policy", kPolicy, "--gateway-url", gateway.url()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const QByteArray traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const HttpResult charged =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/payments"), payment("cust_1", "order-42"),
                                   {{"traceparent", traceparent}}));
        QCOMPARE(charged.status, 200);
        QCOMPARE(bodyOf(charged).value("status").toString(), QStringLiteral("charged"));
        QCOMPARE(bodyOf(charged).value("receipt_id").toString(),
                 QStringLiteral("gw_1"));  // the gateway's own
        QCOMPARE(gateway.charges().size(), std::size_t{1});
        const TestGateway::Charge& sent = gateway.charges().front();
        QCOMPARE(sent.idempotencyKey, QByteArray("order-42"));
        QCOMPARE(sent.body.value("amount_minor").toInteger(), 1250);
        QCOMPARE(sent.body.value("amount").toString(), QStringLiteral("12.50"));
        QCOMPARE(sent.body.value("currency").toString(), QStringLiteral("USD"));
        QCOMPARE(sent.body.value("customer_id").toString(), QStringLiteral("cust_1"));
        QCOMPARE(sent.body.value("merchant_id").toString(), QStringLiteral("m1"));
        QCOMPARE(sent.body.value("payment_id").toString(), bodyOf(charged).value("id").toString());
        QVERIFY2(sent.traceparent.startsWith("00-0af7651916cd43dd8448eb211c80319c-"),
                 sent.traceparent.constData());
        QVERIFY2(sent.userAgent.startsWith("tai-console/"), sent.userAgent.constData());
        // A retry with the same key is answered from the engine's own record: no second charge.
        const HttpResult again = post(nam, engine, payment("cust_1", "order-42"));
        QCOMPARE(again.status, 200);
        QCOMPARE(bodyOf(again).value("status").toString(), QStringLiteral("duplicate"));
        QCOMPARE(bodyOf(again).value("receipt_id").toString(), QStringLiteral("gw_1"));
        QCOMPARE(gateway.charges().size(), std::size_t{1});
        // A payment without a key sends no Idempotency-Key.
        QCOMPARE(post(nam, engine, payment("cust_2")).status, 200);
        QVERIFY(gateway.charges().back().idempotencyKey.isEmpty());
        // The snapshot names the gateway it charges through.
        const HttpResult state = QCoro::waitFor(request(nam, "GET", engine.url("/v1/state")));
        QCOMPARE(bodyOf(state).value("gateway").toString(), QString::fromLatin1(gateway.url()));
    }

    void eachGatewayFailureHasItsOutcome_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("maxMs");  // how long the answer may take
        QTest::newRow("non-2xx") << int(TestGateway::Mode::Fail) << 502 << "gateway_error"
                                 << "gateway answered 500" << 900;
        QTest::newRow("connection refused") << int(TestGateway::Mode::Refuse) << 502 << "gateway_error"
                                            << "gateway unreachable" << 900;
        QTest::newRow("slower than the action timeout")
            << int(TestGateway::Mode::Slow) << 504 << "gateway_timeout"
            << "did not answer within 1 s" << 3000;
        QTest::newRow("hangs") << int(TestGateway::Mode::Hang) << 504 << "gateway_timeout"
                               << "did not answer within 1 s" << 3000;
    }

    void eachGatewayFailureHasItsOutcome() {
        QFETCH(int, mode);
        QFETCH(int, status);
        QFETCH(QString, outcome);
        QFETCH(QString, error);
        QFETCH(int, maxMs);
        TestGateway gateway;
        QVERIFY(gateway.listen());
        HeadlessProcess engine({"--ephemeral", "--policy", kPolicy, "--gateway-url", gateway.url()});
        QVERIFY2(engine.running(), engine.log().constData());
        gateway.setMode(static_cast<TestGateway::Mode>(mode));
        QNetworkAccessManager nam;
        QElapsedTimer took;
        took.start();
        const HttpResult r = post(nam, engine, payment("cust_1", "order-7"));
        QCOMPARE(r.status, status);
        QCOMPARE(bodyOf(r).value("status").toString(), outcome);
        QVERIFY2(bodyOf(r).value("error").toString().contains(error), r.body.constData());
        QVERIFY2(took.elapsed() < maxMs, qPrintable(QString::number(took.elapsed())));
        // Not charged, so a retry with the same key goes to the gateway again (§4.4 stores the
        // failed attempt: the retry is a duplicate of it, never a second charge).
        const HttpResult retry = post(nam, engine, payment("cust_1", "order-7"));
        QCOMPARE(bodyOf(retry).value("status").toString(), QStringLiteral("duplicate"));
        QCOMPARE(bodyOf(retry).value("original").toString(), outcome);
    }

    void theBreakerOpensOnRealFailuresAndRecovers() {
        TestGateway gateway;
        QVERIFY(gateway.listen());
        HeadlessProcess engine({"--ephemeral", "--policy", kPolicy, "--gateway-url", gateway.url()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        gateway.setMode(TestGateway::Mode::Fail);
        for (int i = 0; i < 3; ++i) {  // failure_threshold 3
            QCOMPARE(post(nam, engine, payment(QStringLiteral("fail_%1").arg(i))).status, 502);
        }
        const std::size_t calls = gateway.charges().size();
        const HttpResult blocked = post(nam, engine, payment("blocked"));
        QCOMPARE(blocked.status, 503);
        QCOMPARE(bodyOf(blocked).value("status").toString(), QStringLiteral("circuit_open"));
        QVERIFY(!blocked.retryAfter.isEmpty());
        QCOMPARE(gateway.charges().size(), calls);  // an open breaker does not touch the gateway
        QTRY_COMPARE_WITH_TIMEOUT(gatewayBreaker(nam, engine), QStringLiteral("open"), 2000);
        // The gateway recovers; after recovery_timeout_s (1 s) the breaker probes and closes.
        gateway.setMode(TestGateway::Mode::Answer);
        QTRY_COMPARE_WITH_TIMEOUT(gatewayBreaker(nam, engine), QStringLiteral("half_open"), 5000);
        const HttpResult probe = post(nam, engine, payment("probe"));
        QCOMPARE(probe.status, 200);
        QCOMPARE(bodyOf(probe).value("status").toString(), QStringLiteral("charged"));
        QTRY_COMPARE_WITH_TIMEOUT(gatewayBreaker(nam, engine), QStringLiteral("closed"), 2000);
        QCOMPARE(post(nam, engine, payment("after")).status, 200);
    }

    void theConsoleChargesThroughTheGatewayToo() {
        TestGateway gateway;
        QVERIFY(gateway.listen());
        HeadlessProcess console({"--gateway-url", gateway.url()}, HeadlessProcess::Mode::Console);
        QVERIFY2(console.running(), console.log().constData());
        QNetworkAccessManager nam;
        const HttpResult r = post(nam, console, payment("cust_console", "console-1"));
        QCOMPARE(r.status, 200);
        QCOMPARE(bodyOf(r).value("status").toString(), QStringLiteral("charged"));
        QCOMPARE(gateway.charges().size(), std::size_t{1});
        QCOMPARE(gateway.charges().front().idempotencyKey, QByteArray("console-1"));
    }

    void faultsAreForTheSimulatorOnly() {
        TestGateway gateway;
        QVERIFY(gateway.listen());
        HeadlessProcess engine({"--ephemeral", "--gateway-url", gateway.url()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const HttpResult r =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/gateway-fault"), R"({"down":true})",
                                   {{"Authorization", "Bearer " + engine.token()}}));
        QCOMPARE(r.status, 409);
        QVERIFY2(bodyOf(r).value("error").toString().contains("real gateway"), r.body.constData());
    }

    void killNineLosesNoAcknowledgedPaymentWithARealGateway() {
        constexpr int kPayments = 300;
        TestGateway gateway;
        QVERIFY(gateway.listen());
        QTemporaryDir dataDir;
        std::vector<QJsonObject> first(kPayments);
        int acked = 0;
        {
            HeadlessProcess engine({"--data-dir", dataDir.path(), "--gateway-url", gateway.url()});
            QVERIFY2(engine.running(), engine.log().constData());
            QNetworkAccessManager nam;
            for (int i = 0; i < kPayments; ++i) {
                const HttpResult r = post(
                    nam, engine, payment(QStringLiteral("k_%1").arg(i), QStringLiteral("key-%1").arg(i)));
                first[static_cast<std::size_t>(i)] = bodyOf(r);
                acked += r.status == 200 ? 1 : 0;
                if (acked == kPayments / 2) {
                    ::kill(static_cast<pid_t>(engine.pid()), SIGKILL);
                    break;
                }
            }
            engine.kill();
        }
        QCOMPARE(acked, kPayments / 2);
        HeadlessProcess engine({"--data-dir", dataDir.path(), "--gateway-url", gateway.url()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        for (int i = 0; i < kPayments; ++i) {
            const HttpResult r =
                post(nam, engine, payment(QStringLiteral("k_%1").arg(i), QStringLiteral("key-%1").arg(i)));
            QCOMPARE(r.status, 200);
            const QJsonObject before = first[static_cast<std::size_t>(i)];
            if (before.value("status").toString() == "charged") {
                // Acknowledged before the kill: the same charge comes back, not a new one.
                QCOMPARE(bodyOf(r).value("status").toString(), QStringLiteral("duplicate"));
                QCOMPARE(bodyOf(r).value("receipt_id").toString(), before.value("receipt_id").toString());
            } else {
                QCOMPARE(bodyOf(r).value("status").toString(), QStringLiteral("charged"));
            }
        }
        // The gateway gave one receipt per key: nobody was charged twice.
        QCOMPARE(gateway.receipts().size(), std::size_t{kPayments});
    }
};

QTEST_GUILESS_MAIN(TestGateway_)
#include "tst_gateway.moc"
