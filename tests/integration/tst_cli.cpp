// The command line of DESIGN.md §10.1, run as a user would run it, each run in a home of its own.
// What each option sets is tst_cli_parser's; this suite is about the process: exit codes, which
// stream says what, and the data dir.
#include "isolated_home.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
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
    const IsolatedHome home;
    QProcess p;
    home.applyTo(p);
    p.start(QStringLiteral(TAI_CONSOLE_BIN), args);
    p.waitForFinished(timeoutMs);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Starts `--headless` on a free port in `home` until it listens, then stops it with SIGTERM.
// Returns what it wrote to stderr; stdout must stay empty (logs are not results).
QString startAndStopHeadless(const IsolatedHome& home, QStringList extra = {}) {
    QProcess p;
    home.applyTo(p);
    p.start(QStringLiteral(TAI_CONSOLE_BIN),
            QStringList{"--headless", "--listen", "127.0.0.1:0", "--load", "0"} + extra);
    if (!p.waitForStarted()) {
        return {};
    }
    p.setReadChannel(QProcess::StandardError);
    QByteArray err;
    const QDeadlineTimer deadline(20000);
    while (!err.contains("listening on") && p.state() == QProcess::Running && !deadline.hasExpired()) {
        p.waitForReadyRead(200);  // woken by output, not a fixed sleep
        err += p.readAllStandardError();
    }
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    p.waitForFinished(15000);
    err += p.readAllStandardError();
    if (!p.readAllStandardOutput().isEmpty()) {
        return QStringLiteral("(stdout was not empty)");
    }
    return QString::fromUtf8(err);
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
             {"--headless", "replay --input FILE --output FILE", "--policy", "--ephemeral", "--data-dir"}) {
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
        QTest::newRow("a listen address that is not one")
            << QStringList{"--headless", "--listen", "nonsense"} << "--listen: expected HOST:PORT";
        QTest::newRow("--opt=value, bad value")
            << QStringList{"--headless", "--load=lots"} << "--load: 'lots' is not a valid number";
    }
    void badCommandLinesExitTwoWithAReason() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("tai-console: "), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));  // the error is not a result
    }

    void anAddressInUseIsARuntimeFailureSaidOnStderr() {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const Run r = run({"--headless", "--ephemeral", "--load", "0", "--listen",
                           QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot start the HTTP API"), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }

    // Issue 14 item 7: beyond loopback a token file others can read is no secret. (Refused
    // before anything listens, so nothing binds beyond 127.0.0.1 here.)
    void aTokenFileOthersCanReadIsRefusedBeyondLoopback() {
        QTemporaryDir data;
        QFile token(data.filePath("api-token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write(QByteArray(64, 'a') + "\n");
        token.close();
        QVERIFY(token.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                     QFileDevice::ReadGroup | QFileDevice::ReadOther));  // 0644
        const Run refused =
            run({"--headless", "--data-dir", data.path(), "--load", "0", "--listen", "0.0.0.0:0"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("readable or writable by other users; make it private (chmod 600"),
                 qPrintable(refused.err));
        // On loopback it still starts, and the log says to tighten it.
        const IsolatedHome home;
        const QString err = startAndStopHeadless(home, {"--data-dir", data.path()});
        QVERIFY2(err.contains("is readable by other users; chmod 600 it"), qPrintable(err));
        QVERIFY2(err.contains("stopped cleanly"), qPrintable(err));
    }

    void optionsTakeTheirValueAfterAnEqualsSign() {
        QTemporaryDir dir;
        const QString out = dir.filePath("decisions.jsonl");
        const Run r =
            run({"replay", "--input=" TAI_TEST_DATA "/replay_default.jsonl", "--output=" + out, "--seed=1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("replayed 74 lines"));
        QVERIFY(QFile::exists(out));
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

    void headlessLogsKpisOnStderrAndStopsCleanlyOnSigterm() {
        const IsolatedHome home;
        QProcess p;
        home.applyTo(p);
        p.start(QStringLiteral(TAI_CONSOLE_BIN),
                {"--headless", "--summary-every", "1", "--load", "300", "--listen", "127.0.0.1:0"});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("kpi:"), 15000);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(15000));
        err += p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(err.contains("stopped cleanly"), err.constData());
        QVERIFY(err.contains("success"));
        QCOMPARE(p.readAllStandardOutput(), QByteArray());  // headless has no results, only logs
        // The durable default lives in the new data dir, under the home it was given.
        QVERIFY(QFile::exists(home.dataHome() + "/tai-console/audit.sqlite"));
        QVERIFY(QFile::exists(home.dataHome() + "/tai-console/api-token"));
    }

    void anOldDataDirIsMovedOverOnceAndTheLogSaysSo() {
        const IsolatedHome home;
        const QString legacy = home.dataHome() + "/TAI Console/tai-console";
        QVERIFY(QDir().mkpath(legacy));
        const QByteArray token = "an-old-token-that-must-survive-the-move-0123456789";
        QFile file(legacy + "/api-token");
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(token);
        file.close();
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);

        const QString first = startAndStopHeadless(home);
        QVERIFY2(
            first.contains("data dir: moved the old " + legacy + " to " + home.dataHome() + "/tai-console"),
            qPrintable(first));
        QVERIFY2(first.contains("control token in " + home.dataHome() + "/tai-console/api-token"),
                 qPrintable(first));
        QFile moved(home.dataHome() + "/tai-console/api-token");
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll().trimmed(), token);
        QVERIFY(!QFileInfo::exists(legacy));
        QVERIFY(!QFileInfo::exists(home.dataHome() + "/TAI Console"));  // emptied, so removed

        const QString second = startAndStopHeadless(home);
        QVERIFY2(second.contains("listening on") && !second.contains("data dir: moved"), qPrintable(second));
    }

    void scenarioRunPrintsOnlyItsSummaryOnStdout() {
        const Run r = run({"scenario", "run", "fraud-burst", "--seed", "3"}, 60000);
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 4, qPrintable(r.out));
        // The summary's own shape, line by line: a title, indented figures, the digest. A log
        // line (spdlog's "[...] [level]") here would mix into what scripts parse.
        static const QRegularExpression summary(
            R"(^(\S.* \(seed 3, \d+ s virtual\)|  .*|audit_digest sha256:[0-9a-f]{64})$)");
        for (const QString& line : lines) {
            QVERIFY2(summary.match(line).hasMatch(), qPrintable(line));
        }
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
