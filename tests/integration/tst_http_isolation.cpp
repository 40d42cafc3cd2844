// Issue 14 item 8: a heavy read does not hold up the light ones. 16 clients reading
// /v1/traces?limit=1000 (about 200 KB of JSON each) used to push /healthz from about 2 ms to a
// p50 of 247 ms, because one HTTP thread built every reply. Against tai-console --headless
// with generated load and every trace kept.
#include "headless_process.h"
#include "http/http_load_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace std::chrono_literals;

class TestHttpIsolation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void healthzStaysFastWhileTracesAreRead() {
        HeadlessProcess engine({"--ephemeral", "--load", "3000", "--trace-sampler", "always"});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        QTRY_VERIFY_WITH_TIMEOUT(
            QJsonDocument::fromJson(
                QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces?limit=1000"))).body)
                    .object()
                    .value("traces")
                    .toArray()
                    .size() == 1000,
            20000);

        tai::HttpLoadClient::Options heavy;
        heavy.port = engine.port();
        heavy.connections = 16;
        heavy.path = "/v1/traces?limit=1000";
        heavy.duration = 4000ms;
        tai::HttpLoadClient traces(heavy);
        traces.start();

        tai::HttpLoadClient::Options light;
        light.port = engine.port();
        light.connections = 1;
        light.warmup = 500ms;
        light.duration = 2000ms;
        const auto healthz = tai::HttpLoadClient::run(light);
        const auto read = traces.wait();
        qInfo(
            "/healthz p50 %.3f ms p99 %.3f ms (%llu answers) while 16 clients read traces at %.0f/s (p50 "
            "%.1f ms)",
            healthz.p50Ms, healthz.p99Ms, healthz.requests, read.requestsPerSecond, read.p50Ms);
        QVERIFY2(read.requests >= 16 && read.statuses.value(200) == read.requests,
                 "the traces were not read");
        QCOMPARE(healthz.statuses.value(200), healthz.requests);
        QVERIFY(healthz.requests > 0);
        QVERIFY2(healthz.p50Ms <= 10, qPrintable(QString::number(healthz.p50Ms)));
    }
};

QTEST_GUILESS_MAIN(TestHttpIsolation)
#include "tst_http_isolation.moc"
