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
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
