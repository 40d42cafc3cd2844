// The HTTP API of DESIGN.md §10.2 against a real headless process on loopback: every status
// code, Retry-After, auth, traceparent, deployments, read-only endpoints.
#include "headless_process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <vector>

namespace {
QByteArray payment(const char* customer, const char* amount = "10.00", const char* extra = "") {
    return QByteArray("{\"customer_id\":\"") + customer + "\",\"merchant_id\":\"m1\",\"amount\":\"" + amount +
           "\",\"currency\":\"USD\"" + extra + "}";
}
QJsonObject json(const HttpResult& r) {
    return QJsonDocument::fromJson(r.body).object();
}
}  // namespace

class TestHttpApi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyPaymentStatusCode() {
        // 1 token/s, burst 1, admission capacity 1, action timeout 1 s: every outcome is reachable.
        HeadlessProcess engine({"--ephemeral", "--policy", TAI_TEST_DATA "/policy-http.json"});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const QUrl payments = engine.url("/v1/payments");
        const auto post = [&](const QByteArray& body, QList<QPair<QByteArray, QByteArray>> headers = {}) {
            return QCoro::waitFor(request(nam, "POST", payments, body, headers));
        };

        const HttpResult charged =
            post(payment("c1", "10.00", ",\"idempotency_key\":\"pay-1\""),
                 {{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}});
        QCOMPARE(charged.status, 200);
        QCOMPARE(json(charged).value("status").toString(), QStringLiteral("charged"));
        QCOMPARE(json(charged).value("trace_id").toString(),
                 QStringLiteral("0af7651916cd43dd8448eb211c80319c"));
        QVERIFY(json(charged).value("receipt_id").toString().startsWith("rcpt_"));

        // The token is spent. Of three payments at once, one may take a token that came since (the
        // bucket holds one at most), one waits in the queue (capacity 1), and the rest are shed.
        auto a = request(nam, "POST", payments, payment("c2"));
        auto b = request(nam, "POST", payments, payment("c3"));
        auto c = request(nam, "POST", payments, payment("c4"));
        const std::vector<HttpResult> burst{QCoro::waitFor(std::move(a)), QCoro::waitFor(std::move(b)),
                                            QCoro::waitFor(std::move(c))};
        int shedCount = 0;
        int chargedCount = 0;
        for (const HttpResult& r : burst) {
            if (r.status == 429) {
                ++shedCount;
                QCOMPARE(r.retryAfter, QByteArray("1"));
                QCOMPARE(json(r).value("status").toString(), QStringLiteral("queue_full"));
            } else {
                QCOMPARE(r.status, 200);  // dispatched at once, or when its token came
                ++chargedCount;
            }
        }
        QVERIFY2(shedCount >= 1 && chargedCount >= 1,
                 qPrintable(QStringLiteral("%1 shed, %2 charged").arg(shedCount).arg(chargedCount)));

        const HttpResult rejected = post(payment("cust_666", "1.00", ",\"idempotency_key\":\"pay-2\""));
        QCOMPARE(rejected.status, 402);
        QCOMPARE(json(rejected).value("reasons").toArray().first().toString(), QStringLiteral("blacklisted"));
        const HttpResult duplicate = post(payment("cust_666", "1.00", ",\"idempotency_key\":\"pay-2\""));
        QCOMPARE(duplicate.status, 402);  // a duplicate answers with its original's status
        QCOMPARE(json(duplicate).value("status").toString(), QStringLiteral("duplicate"));
        QCOMPARE(json(duplicate).value("original").toString(), QStringLiteral("rejected"));
        const HttpResult conflict = post(payment("cust_666", "2.00", ",\"idempotency_key\":\"pay-2\""));
        QCOMPARE(conflict.status, 409);
        QCOMPARE(json(conflict).value("field").toString(), QStringLiteral("idempotency_key"));

        const HttpResult invalid =
            post(R"({"customer_id":"c4","merchant_id":"m1","amount":"1.005","currency":"USD"})");
        QCOMPARE(invalid.status, 400);
        QCOMPARE(json(invalid).value("field").toString(), QStringLiteral("amount"));
        QVERIFY(json(invalid).value("error").toString().startsWith("amount: must be"));
        QCOMPARE(post("{oops").status, 400);
        QCOMPARE(post(QByteArray(70 * 1024, ' ')).status, 413);

        const HttpResult error = post(payment("c5", "1.00", ",\"sim\":{\"gateway\":\"error\"}"));
        QCOMPARE(error.status, 502);
        const HttpResult timeout = post(payment("c6", "1.00", ",\"sim\":{\"gateway\":\"timeout\"}"));
        QCOMPARE(timeout.status, 504);

        const HttpResult forced =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/breakers/payment-gateway/force-open"),
                                   R"({"reason":"drill"})", {{"Authorization", "Bearer " + engine.token()}}));
        QCOMPARE(forced.status, 200);
        const HttpResult open = post(payment("c7"));
        QCOMPARE(open.status, 503);
        QVERIFY(open.retryAfter.toInt() >= 1);
    }

    void controlEndpointsNeedTheToken() {
        HeadlessProcess engine({"--ephemeral"});
        QNetworkAccessManager nam;
        const QUrl url = engine.url("/v1/control/breakers/payment-gateway/force-half-open");
        QCOMPARE(QCoro::waitFor(request(nam, "POST", url)).status, 401);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", url, {}, {{"Authorization", "Bearer wrong-token"}})).status,
            403);
        QCOMPARE(QCoro::waitFor(request(nam, "POST", url, {}, {{"Authorization", "Basic " + engine.token()}}))
                     .status,
                 403);
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + engine.token()}};
        QCOMPARE(QCoro::waitFor(request(nam, "POST", url, {}, auth)).status, 200);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/breakers/nope/release"), {}, auth))
                .status,
            404);
        const HttpResult badFault = QCoro::waitFor(
            request(nam, "POST", engine.url("/v1/control/gateway-fault"), R"({"error_rate":3})", auth));
        QCOMPARE(badFault.status, 400);
        QCOMPARE(json(badFault).value("field").toString(), QStringLiteral("error_rate"));
        QCOMPARE(QCoro::waitFor(
                     request(nam, "POST", engine.url("/v1/control/gateway-fault"), R"({"down":true})", auth))
                     .status,
                 200);
        QCOMPARE(QCoro::waitFor(
                     request(nam, "POST", engine.url("/v1/control/load"), R"({"payments_per_s":10})", auth))
                     .status,
                 200);
        QCOMPARE(QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/burst"),
                                        R"({"payments_per_s":10,"seconds":1})", auth))
                     .status,
                 200);
    }

    void deploymentsAndReadOnlyEndpoints() {
        HeadlessProcess engine({"--ephemeral"});
        QNetworkAccessManager nam;
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + engine.token()}};
        const HttpResult accepted = QCoro::waitFor(request(
            nam, "POST", engine.url("/v1/deployments"), R"({"service":"api-service","version":"v2.0.0"})"));
        QCOMPARE(accepted.status, 202);
        const QString id = json(accepted).value("id").toString();
        QCOMPARE(id, QStringLiteral("d-1"));
        const HttpResult rejected = QCoro::waitFor(request(
            nam, "POST", engine.url("/v1/deployments"), R"({"service":"api-service","version":"latest"})"));
        QCOMPARE(rejected.status, 422);
        QCOMPARE(json(rejected).value("reasons").toArray().size(), 2);  // image_missing, rollout_in_progress
        QCOMPARE(json(rejected).value("field").toString(), QStringLiteral("version"));  // the first check's
        const QString rejectedId = json(rejected).value("id").toString();
        QCOMPARE(rejectedId, QStringLiteral("d-2"));
        QTRY_COMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/" + rejectedId))).status,
                     200);
        const QJsonObject rejectedState =
            json(QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/" + rejectedId))));
        QCOMPARE(rejectedState.value("status").toString(), QStringLiteral("rejected"));
        QCOMPARE(rejectedState.value("reasons").toArray().size(), 2);
        const HttpResult invalid =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/deployments"), R"({"version":"v1"})"));
        QCOMPARE(invalid.status, 400);  // malformed: the request, not the policy, is at fault
        QCOMPARE(json(invalid).value("field").toString(), QStringLiteral("service"));
        QTRY_COMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/d-1"))).status, 200);
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/d-9"))).status, 404);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/deployments/d-1/pause"), {}, auth))
                .status,
            200);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/deployments/d-1/pause"), {}, auth))
                .status,
            409);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/deployments/d-1/warp"), {}, auth))
                .status,
            404);
        QCOMPARE(
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/deployments/d-1/rollback"), {}, auth))
                .status,
            400);
        QCOMPARE(QCoro::waitFor(
                     request(nam, "POST", engine.url("/v1/control/deployments/d-1/promote-full"), {}, auth))
                     .status,
                 200);

        const HttpResult state = QCoro::waitFor(request(nam, "GET", engine.url("/v1/state")));
        QCOMPARE(state.status, 200);
        QVERIFY(json(state).contains("light"));
        QCOMPARE(json(state).value("breakers").toArray().size(), 5);
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/alerts"))).status, 200);
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/healthz"))).status, 200);
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/readyz"))).status, 200);
        const HttpResult metrics = QCoro::waitFor(request(nam, "GET", engine.url("/metrics")));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("tai_payment_latency_seconds_bucket"));
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/nowhere"))).status, 404);
        QCOMPARE(QCoro::waitFor(request(nam, "DELETE", engine.url("/v1/payments"))).status, 405);

        const HttpResult paid =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/payments"),
                                   R"({"customer_id":"c","merchant_id":"m","amount":"1","currency":"EUR"})"));
        const QString trace = json(paid).value("trace_id").toString();
        const HttpResult traced = QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces/" + trace)));
        QCOMPARE(traced.status, 200);  // the decision was committed before the payment was answered
        QCOMPARE(json(traced).value("events").toArray().first().toObject().value("kind").toString(),
                 QStringLiteral("decision"));
        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces/not-hex"))).status, 400);
    }
};

QTEST_GUILESS_MAIN(TestHttpApi)
#include "tst_http_api.moc"
