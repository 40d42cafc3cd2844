// Issue 14 item 9: file inputs are bounded. A policy or scenario past its size limit (or a
// device that never ends) is refused with the path and the limit; a replay line past 64 KiB is
// one invalid line, not a memory spike; the policy's version and alert thresholds have ranges;
// and error positions in a large scenario are found in linear time (TextLines).
#include "engine/policy_document.h"
#include "scenario/json_positions.h"
#include "scenario/replay_runner.h"
#include "scenario/scenario_session.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {
QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        qFatal("cannot write %s", qPrintable(path));
    }
    return path;
}
}  // namespace

class TestFileInputs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textLinesAgreeWithAScan_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("offset");
        QTest::newRow("start") << QByteArray("{\n  \"a\": 1\n}") << 0;
        QTest::newRow("second line") << QByteArray("{\n  \"a\": 1\n}") << 4;
        QTest::newRow("on a newline") << QByteArray("{\n  \"a\": 1\n}") << 1;
        QTest::newRow("after a newline") << QByteArray("{\n  \"a\": 1\n}") << 2;
        QTest::newRow("last byte") << QByteArray("{\n  \"a\": 1\n}") << 11;
        QTest::newRow("past the end") << QByteArray("{\n}") << 99;
        QTest::newRow("negative") << QByteArray("{\n}") << -5;
        QTest::newRow("UTF-8 before") << QByteArray("{\"é€\": \"x\",\n \"b\": 2}") << 9;
        QTest::newRow("empty lines") << QByteArray("\n\n\n\nx") << 4;
    }
    void textLinesAgreeWithAScan() {
        QFETCH(QByteArray, text);
        QFETCH(int, offset);
        const tai::TextLines lines(text);
        QCOMPARE(lines.lineAndColumn(offset), tai::lineAndColumn(text, std::max(0, offset)));
    }

    void anEndlessPolicyIsRefusedNotRead() {
        const auto result = tai::loadPolicyFile(QStringLiteral("/dev/zero"));
        QVERIFY(!result.ok());
        QCOMPARE(result.errors.size(), 1);
        QVERIFY2(result.errors.first().startsWith("/dev/zero: larger than 1024 KiB"),
                 qPrintable(result.errors.first()));
    }

    void aPolicyPastItsLimitIsRefused() {
        QTemporaryDir dir;
        const QString path = write(dir, "big.json", "{" + QByteArray(tai::kMaxPolicyBytes, ' ') + "}");
        const auto result = tai::loadPolicyFile(path);
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.first().contains("larger than 1024 KiB"), qPrintable(result.errors.first()));
        // At the limit it is read (and here valid).
        const QString fits = write(dir, "fits.json", "{" + QByteArray(tai::kMaxPolicyBytes - 2, ' ') + "}");
        QVERIFY2(tai::loadPolicyFile(fits).ok(), qPrintable(tai::loadPolicyFile(fits).errors.join('\n')));
    }

    void policyValuesHaveRanges_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");  // empty: accepted
        QTest::newRow("version of 128")
            << QByteArray("{\"version\":\"" + QByteArray(128, 'v') + "\"}") << QString();
        QTest::newRow("version of 129") << QByteArray("{\"version\":\"" + QByteArray(129, 'v') + "\"}")
                                        << "version: at most 128 characters (got 129)";
        QTest::newRow("fraud_rate 0.5")
            << QByteArray(R"({"andon":{"rules":{"fraud_rate":{"threshold":0.5}}}})") << QString();
        QTest::newRow("fraud_rate 2147483648")
            << QByteArray(R"({"andon":{"rules":{"fraud_rate":{"threshold":2147483648}}}})")
            << "andon.rules.fraud_rate.threshold";
        QTest::newRow("error_rate 1.5")
            << QByteArray(R"({"andon":{"rules":{"error_rate":{"threshold":1.5}}}})")
            << "andon.rules.error_rate.threshold";
        QTest::newRow("p99 5000 ms") << QByteArray(
                                            R"({"andon":{"rules":{"p99_latency_ms":{"threshold":5000}}}})")
                                     << QString();
        QTest::newRow("p99 a day") << QByteArray(
                                          R"({"andon":{"rules":{"p99_latency_ms":{"threshold":86400000}}}})")
                                   << "andon.rules.p99_latency_ms.threshold";
    }
    void policyValuesHaveRanges() {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const auto result = tai::parsePolicy(json);
        if (error.isEmpty()) {
            QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        } else {
            QVERIFY(!result.ok());
            QVERIFY2(result.errors.join('\n').contains(error), qPrintable(result.errors.join('\n')));
        }
    }

    void anEndlessScenarioIsRefusedNotRead() {
        const auto loaded = tai::loadScenario(QStringLiteral("/dev/zero"));
        QVERIFY(!loaded.scenario);
        QCOMPARE(loaded.errors.size(), 1);
        QVERIFY2(loaded.errors.first().startsWith("/dev/zero: larger than"),
                 qPrintable(loaded.errors.first()));
    }

    void anUnknownScenarioNameSaysWhatIsBuiltIn() {
        const auto loaded = tai::loadScenario(QStringLiteral("no-such-scenario"));
        QVERIFY(!loaded.scenario);
        QVERIFY2(loaded.errors.first().contains(
                     "no built-in scenario or file by that name (built-in: steady-state"),
                 qPrintable(loaded.errors.first()));
    }

    void aReplayLinePastTheLimitIsOneInvalidLine() {
        QTemporaryDir dir;
        const QByteArray good =
            R"({"type":"payment","id":"p1","customer_id":"c1","merchant_id":"m1","amount":"1.00","currency":"USD","timestamp":"2026-01-01T00:00:00Z"})";
        const QString input =
            write(dir, "in.jsonl", good + "\n" + QByteArray(10 * 1024 * 1024, 'x') + "\n" + good + "\n");
        tai::ReplayOptions options;
        options.inputPath = input;
        options.outputPath = dir.filePath("out.jsonl");
        const tai::ReplayReport report = tai::runReplay(options);
        QVERIFY2(report.ok, qPrintable(report.error));
        QCOMPARE(report.lines, 3);
        QCOMPARE(report.counts[static_cast<std::size_t>(tai::PaymentOutcome::Invalid)], std::uint64_t{1});
        QFile out(options.outputPath);
        QVERIFY(out.open(QIODevice::ReadOnly));
        const QList<QByteArray> decisions = out.readAll().trimmed().split('\n');
        QCOMPARE(decisions.size(), 3);
        QVERIFY2(decisions[1].contains("larger than 64 KiB"), decisions[1].constData());
    }
};

QTEST_GUILESS_MAIN(TestFileInputs)
#include "tst_file_inputs.moc"
