// The command line of DESIGN.md §10.1, run as a user would run it.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QStringList& args, int timeoutMs = 30000) {
    QProcess p;
    p.start(QStringLiteral(TAI_CONSOLE_BIN), args);
    p.waitForFinished(timeoutMs);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionAndHelp() {
        const Run version = run({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("tai-console " TAI_VERSION));
        const Run help = run({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* word :
             {"--headless", "replay --input F --output F", "--policy", "--ephemeral", "--data-dir"}) {
            QVERIFY2(help.out.contains(QLatin1String(word)), word);
        }
    }

    void badCommandLinesExitTwoWithAReason_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option")
            << QStringList{"--frobnicate"} << "unknown option or command: --frobnicate";
        QTest::newRow("replay without output")
            << QStringList{"replay", "--input", "x"} << "replay needs --input FILE and --output FILE";
        QTest::newRow("option without value") << QStringList{"--policy"} << "--policy needs a value";
        QTest::newRow("bad number") << QStringList{"--headless", "--load", "lots"}
                                    << "--load: 'lots' is not a valid number";
        QTest::newRow("scenario without run")
            << QStringList{"scenario", "play", "x"} << "expected 'scenario list' or 'scenario run NAME|FILE'";
        QTest::newRow("bad speed") << QStringList{"scenario", "run", "steady-state", "--speed", "fast"}
                                   << "--speed: expected a factor such as 1, 10 or 100";
        QTest::newRow("speed without a scenario")
            << QStringList{"--speed", "10"} << "--speed applies to a scenario";
        QTest::newRow("scenario with a fault")
            << QStringList{"--scenario", "gateway-outage", "--fault", "down"} << "put them in its timeline";
        QTest::newRow("scenario with a data dir")
            << QStringList{"scenario", "run", "steady-state", "--data-dir", "/tmp/x"}
            << "scenarios always run on a fresh in-memory trail";
    }
    void badCommandLinesExitTwoWithAReason() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void aBadPolicyFileNamesTheKeyAndStartsNothing() {
        QTemporaryDir dir;
        const QString policy = dir.filePath("policy.json");
        QFile file(policy);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"payments":{"breaker":{"failure_threshold":0}}})");
        file.close();
        const QString out = dir.filePath("out.jsonl");
        const Run r = run({"replay", "--input", TAI_TEST_DATA "/replay_default.jsonl", "--output", out,
                           "--policy", policy});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains("payments.breaker.failure_threshold: must be a whole number from 1 to 1000000"),
            qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    void replayWritesOneDecisionPerLineAndPrintsTheDigest() {
        QTemporaryDir dir;
        const QString out = dir.filePath("decisions.jsonl");
        const Run r = run({"replay", "--input", TAI_TEST_DATA "/replay_default.jsonl", "--output", out});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("replayed 74 lines"));
        QVERIFY(r.out.contains("audit_digest: sha256:"));
        QFile decisions(out);
        QVERIFY(decisions.open(QIODevice::ReadOnly));
        QCOMPARE(decisions.readAll().count('\n'), 74);
        const Run missing = run({"replay", "--input", "/nonexistent", "--output", out});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("cannot read"));
    }

    void headlessLogsKpisAndStopsCleanlyOnSigterm() {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(TAI_CONSOLE_BIN), {"--headless", "--summary-every", "1", "--load", "300"});
        QVERIFY(p.waitForStarted());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += p.readAll()).contains("kpi:"), 15000);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(15000));
        output += p.readAll();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(output.contains("stopped cleanly"), output.constData());
        QVERIFY(output.contains("success"));
    }

    void scenarioListNamesTheBuiltIns() {
        const Run r = run({"scenario", "list"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 8);
        QVERIFY(lines.front().startsWith("steady-state"));
        QVERIFY(r.out.contains("Gateway outage"));
    }

    void scenarioRunWritesTheSameReportTwice() {
        QTemporaryDir dir;
        const QString first = dir.filePath("first.json");
        const QString second = dir.filePath("second.json");
        const Run a = run({"scenario", "run", "bad-canary", "--report", first}, 60000);
        QCOMPARE(a.exitCode, 0);
        QVERIFY2(a.out.contains("objective rollback") && a.out.contains("MET after 10 s"), qPrintable(a.out));
        QVERIFY(a.out.contains("audit_digest sha256:"));
        QCOMPARE(run({"scenario", "run", "bad-canary", "--report", second}, 60000).exitCode, 0);
        QFile f1(first), f2(second);
        QVERIFY(f1.open(QIODevice::ReadOnly) && f2.open(QIODevice::ReadOnly));
        const QByteArray report = f1.readAll();
        QCOMPARE(f2.readAll(), report);
        QVERIFY(report.contains("\"audit_digest\": \"sha256:"));
        QVERIFY(report.contains("\"kind\": \"rollback\""));
    }

    void aMalformedScenarioExitsFourWithLineAndColumn() {
        QTemporaryDir dir;
        QFile file(dir.filePath("bad.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "{ \"name\": \"bad\", \"duration_s\": 60,\n  \"events\": [ { \"at_s\": 5, \"do\": "
            "\"gateway.fault\", "
            "\"error_rate\": 2 } ] }\n");
        file.close();
        const QString report = dir.filePath("report.json");
        const Run r = run({"scenario", "run", file.fileName(), "--report", report});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("line 2, column 65: events[0].error_rate: must be a number from 0 to 1"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(report));  // nothing started, nothing written
    }

    void interactiveSpeedControlFromStdin() {
        QProcess p;
        p.start(QStringLiteral(TAI_CONSOLE_BIN),
                {"scenario", "run", "bad-canary", "--speed", "1", "--interactive"});
        QVERIFY(p.waitForStarted());
        p.write("pause\nstep\nevent\nwarp\nmax\n");
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(": pause") && err.contains(": step") && err.contains(": event") &&
                     err.contains(": max"),
                 qPrintable(err));
        QVERIFY(err.contains("unknown control 'warp'"));
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains("audit_digest sha256:"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
