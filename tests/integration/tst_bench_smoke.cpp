// `tai-console bench` works and says everything it promises (issue 8). It is a smoke run of about
// 15 s: the figures are printed, never asserted; only their presence and the reconciliation are.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

class TestBenchSmoke : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonCarriesEveryFigureAndTheCountersReconcile() {
        QProcess p;
        p.start(QStringLiteral(TAI_CONSOLE_BIN),
                {"bench", "--seconds", "1", "--soak-seconds", "1", "--json"});
        QVERIFY(p.waitForFinished(180'000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 0);  // 3 would mean the counters did not reconcile
        QVERIFY2(err.contains("reconciled"), err.constData());

        QJsonParseError parseError;
        const QJsonObject result = QJsonDocument::fromJson(p.readAllStandardOutput(), &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        const QStringList numbers{"pipeline_signals_per_s",
                                  "bare_loop_signals_per_s",
                                  "pipeline_vs_bare_loop",
                                  "kanban_vs_moodycamel",
                                  "latency_p50_us",
                                  "latency_p99_us",
                                  "latency_p999_us",
                                  "durable_signals_per_s",
                                  "sqlite_bare_rows_per_s",
                                  "durable_vs_sqlite_bare",
                                  "allocations_per_signal",
                                  "ui_frame_p99_ms",
                                  "ui_frame_max_ms",
                                  "rss_growth_mb",
                                  "startup_ms",
                                  "http_healthz_per_s",
                                  "http_payments_per_s",
                                  "http_vs_healthz",
                                  "http_single_client_p50_ms",
                                  "http_single_client_p99_ms",
                                  "http_durable_payments_per_s"};
        QStringList expectedKeys = numbers;
        expectedKeys << "stage_ns"
                     << "machine";
        QStringList keys = result.keys();
        keys.sort();
        expectedKeys.sort();
        QCOMPARE(keys, expectedKeys);  // exactly these, nothing missing, nothing extra
        for (const QString& key : numbers) {
            QVERIFY2(result.value(key).isDouble(), qPrintable(key));
        }
        // Measured, not defaulted: things ran and the child painted a frame.
        QVERIFY(result.value("pipeline_signals_per_s").toDouble() > 0);
        QVERIFY(result.value("durable_signals_per_s").toDouble() > 0);
        QVERIFY(result.value("sqlite_bare_rows_per_s").toDouble() > 0);
        QVERIFY(result.value("startup_ms").toDouble() > 0);
        QVERIFY(result.value("http_payments_per_s").toDouble() > 0);
        QVERIFY(result.value("http_durable_payments_per_s").toDouble() > 0);
        QVERIFY(result.value("ui_frame_max_ms").toDouble() > 0);

        const QJsonObject stages = result.value("stage_ns").toObject();
        for (const char* stage : {"policy", "breaker", "queue_handoff", "metrics", "trace"}) {
            QVERIFY2(stages.value(QLatin1String(stage)).toDouble() > 0, stage);
        }
        const QJsonObject machine = result.value("machine").toObject();
        QVERIFY(machine.value("cores").toInt() >= 1);
        QVERIFY(!machine.value("cpu_model").toString().isEmpty());
        QVERIFY(!machine.value("build_type").toString().isEmpty());
    }

    void badBenchOptionsAreRefused() {
        QProcess p;
        p.start(QStringLiteral(TAI_CONSOLE_BIN), {"bench", "--seconds", "0"});
        QVERIFY(p.waitForFinished(30'000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--seconds"));
    }
};

QTEST_GUILESS_MAIN(TestBenchSmoke)
#include "tst_bench_smoke.moc"
