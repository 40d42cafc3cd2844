// Replays the hand-written streams in tests/data and checks every decision against the
// hand-derived expectations (tests/data/make_golden.py explains each line).
#include "engine/policy_document.h"
#include "scenario/replay_runner.h"

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
