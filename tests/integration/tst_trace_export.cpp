// Traces leaving the process (DESIGN.md §10.3, §12): OTLP/JSON to a file and to an OTLP/HTTP
// collector on loopback, and the trace search and lookup of the HTTP API.
#include "headless_process.h"
#include "http_receiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

class TestTraceExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keptTracesGoToTheFileTheCollectorAndTheApi() {
        QTemporaryDir dir;
        HttpReceiver collector;
        QVERIFY(collector.listen());
        const QString file = dir.filePath("traces.jsonl");
        HeadlessProcess engine({"--load", "200", "--fault", "error=0.5", "--trace-sampler", "never",
                                "--otlp-file", file, "--otlp-endpoint",
                                QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(collector.port())});
        QVERIFY(engine.running());

        // The collector: OTLP/HTTP JSON posts to /v1/traces.
        QTRY_VERIFY_WITH_TIMEOUT(!collector.requests().empty(), 15000);
        const HttpReceiver::Request& post = collector.requests().front();
        QCOMPARE(post.path, QByteArray("/v1/traces"));
        const QJsonArray spans = QJsonDocument::fromJson(post.body)
                                     .object()["resourceSpans"]
                                     .toArray()[0]
                                     .toObject()["scopeSpans"]
                                     .toArray()[0]
                                     .toObject()["spans"]
                                     .toArray();
        QVERIFY(!spans.isEmpty());
        QCOMPARE(spans[0].toObject()["name"].toString(), QStringLiteral("process_signal"));

        // The file: one ExportTraceServiceRequest per line.
        QFile lines(file);
        QTRY_VERIFY_WITH_TIMEOUT(lines.size() > 0, 5000);
        QVERIFY(lines.open(QIODevice::ReadOnly));
        const QByteArray first = lines.readLine();
        QVERIFY(QJsonDocument::fromJson(first).object().contains("resourceSpans"));

        // The API: search by outcome, then one trace whole, and as OTLP.
        QNetworkAccessManager nam;
        const HttpResult found =
            QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces?outcome=gateway_error&limit=3")));
        QCOMPARE(found.status, 200);
        const QJsonArray traces = QJsonDocument::fromJson(found.body).object()["traces"].toArray();
        QVERIFY(!traces.isEmpty() && traces.size() <= 3);
        const QString id = traces[0].toObject()["trace_id"].toString();
        QCOMPARE(traces[0].toObject()["outcome"].toString(), QStringLiteral("gateway_error"));
        const HttpResult one = QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces/" + id)));
        QCOMPARE(one.status, 200);
        const QJsonObject trace = QJsonDocument::fromJson(one.body).object()["trace"].toObject();
        QCOMPARE(trace["why"].toObject()["breaker"].toString(), QStringLiteral("closed"));
        QVERIFY(trace["spans"].toArray().size() >= 5);
        const HttpResult otlp =
            QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces/" + id + "?format=otlp")));
        QCOMPARE(otlp.status, 200);
        QVERIFY(QJsonDocument::fromJson(otlp.body).object().contains("resourceSpans"));

        QCOMPARE(QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces?outcome=bogus"))).status, 400);
        QCOMPARE(
            QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces/" + id + "?format=zipkin"))).status,
            400);
        // Charged payments were not sampled ("never"), so none is kept.
        const HttpResult charged =
            QCoro::waitFor(request(nam, "GET", engine.url("/v1/traces?outcome=charged")));
        QCOMPARE(QJsonDocument::fromJson(charged.body).object()["traces"].toArray().size(), 0);
    }

    void badTracingOptionsAreRefusedByName_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("sampler") << QStringList{"--trace-sampler", "often"}
                                 << "--trace-sampler: expected always";
        QTest::newRow("endpoint") << QStringList{"--otlp-endpoint", "ftp://x"}
                                  << "--otlp-endpoint: expected an http://";
        QTest::newRow("webhook") << QStringList{"--alert-webhook", "not a url"}
                                 << "--alert-webhook: expected an http://";
    }
    void badTracingOptionsAreRefusedByName() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess p;
        p.start(QStringLiteral(TAI_CONSOLE_BIN), QStringList{"--headless"} + args);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(QString::fromUtf8(p.readAllStandardError()).contains(message), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestTraceExport)
#include "tst_trace_export.moc"
