// Rollouts across a kill -9 and a restart (DESIGN.md §7), over real loopback HTTP: an in-flight
// rollout comes back interrupted and moves only on resume or rollback.
#include "headless_process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;

QJsonObject json(const HttpResult& r) {
    return QJsonDocument::fromJson(r.body).object();
}

HttpResult call(QNetworkAccessManager& nam, const QByteArray& method, const QUrl& url,
                const QByteArray& body = {}, const Headers& headers = {}) {
    return QCoro::waitFor(request(nam, method, url, body, headers));
}

QJsonObject deployment(QNetworkAccessManager& nam, const HeadlessProcess& engine, const QString& id) {
    return json(call(nam, "GET", engine.url("/v1/deployments/" + id)));
}

// A charged payment is answered only after the commit that holds it, and commits keep their order:
// once it is answered, every rollout state written before it is on disk too.
bool committed(QNetworkAccessManager& nam, const HeadlessProcess& engine, const QByteArray& key) {
    const HttpResult paid = call(nam, "POST", engine.url("/v1/payments"),
                                 R"({"customer_id":"c1","merchant_id":"m1","amount":"1.00","currency":"USD",)"
                                 R"("idempotency_key":")" +
                                     key + R"("})");
    return paid.status == 200 && json(paid).value("status").toString() == u"charged";
}
}  // namespace

class TestRolloutRestart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anInterruptedRolloutMovesOnlyOnResumeOrRollback() {
        QTemporaryDir dataDir;
        {
            HeadlessProcess engine({"--data-dir", dataDir.path()});
            QVERIFY2(engine.running(), engine.log().constData());
            QNetworkAccessManager nam;
            QCOMPARE(call(nam, "POST", engine.url("/v1/deployments"),
                          R"({"id":"d-1","service":"api-service","version":"v2.0.0"})")
                         .status,
                     202);
            QTRY_COMPARE_WITH_TIMEOUT(
                deployment(nam, engine, "d-1").value("regions").toArray().at(0)["stage"].toString(),
                QStringLiteral("canary"), 10000);
            QVERIFY(committed(nam, engine, "restart-barrier-1"));
            engine.kill();
        }
        HeadlessProcess engine({"--data-dir", dataDir.path()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const Headers auth{{"Authorization", "Bearer " + engine.token()}};
        QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-1").value("status").toString(),
                                  QStringLiteral("interrupted"), 10000);
        for (const char* control : {"promote", "promote-full", "pause"}) {
            const HttpResult refused = call(
                nam, "POST", engine.url(QStringLiteral("/v1/control/deployments/d-1/") + control), {}, auth);
            QCOMPARE(refused.status, 409);
            QVERIFY2(json(refused).value("error").toString().contains("resume or roll back"), refused.body);
        }
        const QJsonObject still = deployment(nam, engine, "d-1");
        QCOMPARE(still.value("status").toString(), QStringLiteral("interrupted"));
        QCOMPARE(still.value("regions").toArray().at(0)["stage"].toString(), QStringLiteral("canary"));
        QCOMPARE(still.value("regions").toArray().at(1)["stage"].toString(), QStringLiteral("pending"));
        QCOMPARE(call(nam, "POST", engine.url("/v1/control/deployments/d-1/resume"), {}, auth).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-1").value("status").toString(),
                                  QStringLiteral("in_progress"), 10000);
        QCOMPARE(deployment(nam, engine, "d-1").value("regions").toArray().at(0)["stage"].toString(),
                 QStringLiteral("canary"));
    }

    // Issue 15 item 8: rollouts that had finished answer as they ended, and can still be retried.
    void finishedRolloutsAnswerAsTheyEndedAfterKillNine() {
        QTemporaryDir dataDir;
        {
            HeadlessProcess engine({"--data-dir", dataDir.path()});
            QVERIFY2(engine.running(), engine.log().constData());
            QNetworkAccessManager nam;
            const Headers auth{{"Authorization", "Bearer " + engine.token()}};
            QCOMPARE(call(nam, "POST", engine.url("/v1/deployments"),
                          R"({"id":"d-1","service":"api-service","version":"v2.0.0"})")
                         .status,
                     202);
            QTRY_COMPARE_WITH_TIMEOUT(
                deployment(nam, engine, "d-1").value("regions").toArray().at(0)["stage"].toString(),
                QStringLiteral("canary"), 10000);
            QCOMPARE(call(nam, "POST", engine.url("/v1/control/deployments/d-1/abort"), {}, auth).status,
                     200);
            QCOMPARE(call(nam, "POST", engine.url("/v1/control/infra-fault"),
                          R"({"region":"us-west-2","action_failure_rate":1})", auth)
                         .status,
                     200);
            QCOMPARE(call(nam, "POST", engine.url("/v1/deployments"),
                          R"({"id":"d-2","service":"web-frontend","version":"v2.0.0"})")
                         .status,
                     202);
            QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-2").value("status").toString(),
                                      QStringLiteral("failed"), 10000);
            QCOMPARE(deployment(nam, engine, "d-1").value("status").toString(), QStringLiteral("aborted"));
            QVERIFY(committed(nam, engine, "restart-barrier-2"));
            engine.kill();
        }
        HeadlessProcess engine({"--data-dir", dataDir.path()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const Headers auth{{"Authorization", "Bearer " + engine.token()}};
        QTRY_COMPARE_WITH_TIMEOUT(call(nam, "GET", engine.url("/v1/deployments/d-1")).status, 200, 10000);
        QCOMPARE(deployment(nam, engine, "d-1").value("status").toString(), QStringLiteral("aborted"));
        const QJsonObject failed = deployment(nam, engine, "d-2");
        QCOMPARE(failed.value("status").toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value("regions").toArray().at(0)["stage"].toString(), QStringLiteral("rolled_back"));
        // The infrastructure starts fresh, so the aborted one goes through when retried.
        QCOMPARE(call(nam, "POST", engine.url("/v1/control/deployments/d-1/retry"), {}, auth).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(deployment(nam, engine, "d-1").value("status").toString(),
                                  QStringLiteral("in_progress"), 10000);
        // And a new deployment gets a new id.
        const HttpResult next = call(nam, "POST", engine.url("/v1/deployments"),
                                     R"({"service":"payments-service","version":"v2.0.0"})");
        QCOMPARE(next.status, 202);
        QCOMPARE(json(next).value("id").toString(), QStringLiteral("d-3"));
    }
};

QTEST_GUILESS_MAIN(TestRolloutRestart)
#include "tst_rollout_restart.moc"
