// Replays the hand-written streams in tests/data and checks every decision against the
// hand-derived expectations (tests/data/make_golden.py explains each line).
#include "engine/policy_document.h"
#include "scenario/replay_comparison.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace tai;

namespace {
QList<QJsonObject> readJsonl(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QList<QJsonObject> rows;
    while (!file.atEnd()) {
        rows << QJsonDocument::fromJson(file.readLine()).object();
    }
    return rows;
}

ReplayReport replay(const QString& input, const QString& output, const QString& policyPath = {},
                    quint64 seed = 1) {
    ReplayOptions options;
    options.inputPath = input;
    options.outputPath = output;
    options.seed = seed;
    if (!policyPath.isEmpty()) {
        const auto loaded = loadPolicyFile(policyPath);
        options.policy = loaded.policy;
    }
    return runReplay(options);
}
}  // namespace

class TestReplayGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTheHandDerivedDecisions_data() {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("policy");
        QTest::newRow("default policy") << "replay_default"
                                        << "";
        QTest::newRow("tight policy: leveling, shedding, watchdog") << "replay_tight"
                                                                    << "policy-tight.json";
    }

    void matchesTheHandDerivedDecisions() {
        QFETCH(QString, stream);
        QFETCH(QString, policy);
        const QString data = QStringLiteral(TAI_TEST_DATA) + QLatin1Char('/');
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("decisions.jsonl"));
        const ReplayReport report = replay(data + stream + QStringLiteral(".jsonl"), out,
                                           policy.isEmpty() ? QString() : data + policy);
        QVERIFY2(report.ok, qPrintable(report.error));

        const auto expected = readJsonl(data + stream + QStringLiteral(".expected.jsonl"));
        const auto actual = readJsonl(out);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(actual.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const QJsonObject& want = expected[i];
            const QJsonObject& got = actual[i];
            const QString where = QStringLiteral("line %1: ").arg(i + 1);
            for (auto it = want.constBegin(); it != want.constEnd(); ++it) {
                if (it.key() == u"error_prefix") {
                    QVERIFY2(got.value(QStringLiteral("error")).toString().startsWith(it.value().toString()),
                             qPrintable(where + got.value(QStringLiteral("error")).toString()));
                    continue;
                }
                QVERIFY2(
                    got.value(it.key()) == it.value(),
                    qPrintable(
                        where + it.key() + QStringLiteral(" is ") +
                        QString::fromUtf8(
                            QJsonDocument(QJsonArray{got.value(it.key())}).toJson(QJsonDocument::Compact)) +
                        QStringLiteral(", expected ") +
                        QString::fromUtf8(
                            QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact))));
            }
            // score/reasons only when the policy ran; error only for invalid; original only for duplicate
            const QString outcome = got.value(QStringLiteral("outcome")).toString();
            QCOMPARE(got.contains(QStringLiteral("error")), outcome == u"invalid");
            QCOMPARE(got.contains(QStringLiteral("original")), outcome == u"duplicate");
            QCOMPARE(got.contains(QStringLiteral("score")), want.contains(QStringLiteral("score")));
        }
    }

    void sameInputAndSeedGiveByteIdenticalOutput() {
        const QString data = QStringLiteral(TAI_TEST_DATA) + QStringLiteral("/replay_default.jsonl");
        QTemporaryDir dir;
        const auto a = replay(data, dir.filePath(QStringLiteral("a")));
        const auto b = replay(data, dir.filePath(QStringLiteral("b")));
        QFile fa(dir.filePath(QStringLiteral("a")));
        QFile fb(dir.filePath(QStringLiteral("b")));
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), fb.readAll());
        QCOMPARE(a.auditDigest, b.auditDigest);
        QVERIFY(a.auditDigest.startsWith(QStringLiteral("sha256:")));
    }

    void missingIdsAreGeneratedDeterministicallyPerSeed() {
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("in.jsonl"));
        QFile file(in);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"type":"payment","customer_id":"c","merchant_id":"m","amount":"1.00","currency":"USD"})"
            "\n");
        file.close();
        const auto idFor = [&](quint64 seed) {
            const QString out = dir.filePath(QStringLiteral("out%1").arg(seed));
            replay(in, out, {}, seed);
            return readJsonl(out).value(0).value(QStringLiteral("id")).toString();
        };
        static const QRegularExpression uuid(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        QVERIFY2(uuid.match(idFor(1)).hasMatch(), qPrintable(idFor(1)));
        QCOMPARE(idFor(1), idFor(1));
        QVERIFY(idFor(1) != idFor(2));
    }

    // Issue 15 build item 5 (README "Not built yet"): deployment lines run the orchestrator on the
    // replay's virtual clock, and their lines say what was decided and how the rollout ended.
    void deploymentLinesRunTheirRolloutsOnTheVirtualClock() {
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("signals.jsonl"));
        QFile file(in);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"type":"deployment","service":"api-service","version":"v2.0.0","timestamp":"2026-01-01T00:00:00Z"})"
            "\n"
            R"({"type":"payment","customer_id":"c1","merchant_id":"m1","amount":"5.00","currency":"USD","timestamp":"2026-01-01T00:00:01Z"})"
            "\n"
            R"({"type":"deployment","service":"api-service","version":"v2.0.1","timestamp":"2026-01-01T00:00:02Z"})"
            "\n"
            R"({"type":"deployment","service":"web-frontend","version":"latest"})"
            "\n"
            R"({"type":"deployment","version":"v1"})"
            "\n"
            R"({"type":"deployment","service":"web-frontend","version":"v2.0.0","timestamp":"yesterday"})"
            "\n");
        file.close();
        const QString out = dir.filePath(QStringLiteral("decisions.jsonl"));
        const ReplayReport report = replay(in, out);
        QVERIFY2(report.ok, qPrintable(report.error));
        QCOMPARE(report.lines, 6);
        QCOMPARE(report.deployments, 3);
        const QList<QJsonObject> rows = readJsonl(out);
        QCOMPARE(rows.size(), 6);
        QCOMPARE(rows[0].value("type").toString(), QStringLiteral("deployment"));
        QCOMPARE(rows[0].value("id").toString(), QStringLiteral("d-1"));
        QCOMPARE(rows[0].value("outcome").toString(), QStringLiteral("accepted"));
        QCOMPARE(rows[0].value("status").toString(), QStringLiteral("completed"));  // run to the end
        QCOMPARE(rows[1].value("outcome").toString(), QStringLiteral("charged"));
        QCOMPARE(rows[2].value("outcome").toString(), QStringLiteral("rejected"));
        QCOMPARE(rows[2].value("reasons").toArray(), QJsonArray{"rollout_in_progress"});
        QVERIFY(!rows[2].contains("status"));
        QCOMPARE(rows[3].value("reasons").toArray(), QJsonArray{"image_missing"});
        QCOMPARE(rows[4].value("outcome").toString(), QStringLiteral("invalid"));
        QCOMPARE(rows[4].value("error").toString(), QStringLiteral("service: required"));
        QCOMPARE(rows[5].value("error").toString(),
                 QStringLiteral("timestamp: must be an RFC 3339 date-time"));
        // Same input, same seed: the same bytes, deployments and all.
        const QString again = dir.filePath(QStringLiteral("again.jsonl"));
        QCOMPARE(replay(in, again).auditDigest, report.auditDigest);
        QFile a(out), b(again);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void aRolloutWaitingForAPromoteEndsTheReplayWhereItIs() {
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("signals.jsonl"));
        QFile file(in);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"type":"deployment","service":"api-service","version":"v2.0.0"})"
                   "\n");
        file.close();
        const QString policyPath = dir.filePath(QStringLiteral("policy.json"));
        QFile policy(policyPath);
        QVERIFY(policy.open(QIODevice::WriteOnly));
        policy.write(
            R"({"version":"gated","deployments":{"stages":[{"name":"canary","weight":5,"duration_s":60},)"
            R"({"pause":true},{"name":"prod","weight":100}]}})");
        policy.close();
        const QString out = dir.filePath(QStringLiteral("decisions.jsonl"));
        const ReplayReport report = replay(in, out, policyPath);
        QVERIFY2(report.ok, qPrintable(report.error));
        const QList<QJsonObject> rows = readJsonl(out);
        QCOMPARE(rows[0].value("outcome").toString(), QStringLiteral("accepted"));
        QCOMPARE(rows[0].value("status").toString(), QStringLiteral("in_progress"));  // held at its pause
    }

    // Issue 15 build item 4: what if the same traffic had met another policy?
    void whatIfListsTheDifferingLinesAndSummarisesBothRuns_data() {
        QTest::addColumn<QString>("compare");
        QTest::addColumn<bool>("differs");
        QTest::newRow("a tighter policy") << "policy-tight.json" << true;
        QTest::newRow("the same policy") << "" << false;
    }
    void whatIfListsTheDifferingLinesAndSummarisesBothRuns() {
        QFETCH(QString, compare);
        QFETCH(bool, differs);
        const QString data = QStringLiteral(TAI_TEST_DATA) + QLatin1Char('/');
        QTemporaryDir dir;
        ReplayComparisonOptions options;
        options.inputPath = data + QStringLiteral("replay_tight.jsonl");
        options.outputPath = dir.filePath(QStringLiteral("diff.jsonl"));
        if (!compare.isEmpty()) {
            const auto loaded = loadPolicyFile(data + compare);
            QVERIFY(loaded.ok());
            options.comparePolicy = loaded.policy;
        }
        const ReplayComparison result = compareReplays(options);
        QVERIFY2(result.ok, qPrintable(result.error));
        const QList<QJsonObject> rows = readJsonl(options.outputPath);
        QCOMPARE(rows.size(), result.differing + 1);
        QCOMPARE(result.differing > 0, differs);
        // Each differing line carries both decisions, and exactly the lines that differ are there.
        const QString a = dir.filePath(QStringLiteral("a.jsonl"));
        const QString b = dir.filePath(QStringLiteral("b.jsonl"));
        QVERIFY(replay(options.inputPath, a).ok);
        QVERIFY(replay(options.inputPath, b, compare.isEmpty() ? QString() : data + compare).ok);
        const QList<QJsonObject> left = readJsonl(a);
        const QList<QJsonObject> right = readJsonl(b);
        int expected = 0;
        for (qsizetype i = 0; i < left.size(); ++i) {
            for (const char* key : {"outcome", "score", "reasons", "breaker"}) {
                if (left[i].value(QLatin1String(key)) != right[i].value(QLatin1String(key))) {
                    ++expected;
                    break;
                }
            }
        }
        QCOMPARE(result.differing, expected);
        for (qsizetype i = 0; i + 1 < rows.size(); ++i) {
            const int line = rows[i].value("line").toInt();
            QCOMPARE(rows[i].value("a").toObject(), left[line - 1]);
            QCOMPARE(rows[i].value("b").toObject(), right[line - 1]);
        }
        const QJsonObject summary = rows.last().value("summary").toObject();
        QCOMPARE(summary.value("differing").toInt(), result.differing);
        QCOMPARE(summary.value("a").toObject().value("policy").toString(), QStringLiteral("builtin-default"));
        QCOMPARE(summary.value("b").toObject().value("breaker_trips").toInt(),
                 static_cast<int>(result.b.breakerTripsAtMs.size()));
        QCOMPARE(summary.value("b").toObject().value("breaker_trips_at_ms").toArray().size(),
                 static_cast<qsizetype>(result.b.breakerTripsAtMs.size()));
        qint64 total = 0;
        for (const QJsonValue v : summary.value("b").toObject().value("counts").toObject()) {
            total += v.toInteger();
        }
        QCOMPARE(total, static_cast<qint64>(result.lines));
    }

    void unreadableInputIsAnErrorAndWritesNothing() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const auto report = replay(QStringLiteral("/nonexistent.jsonl"), out);
        QVERIFY(!report.ok);
        QVERIFY(report.error.contains(QStringLiteral("cannot read")));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestReplayGolden)
#include "tst_replay_golden.moc"
