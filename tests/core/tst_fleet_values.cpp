// The fleet's values without a server: the snapshot's JSON (versioned, ≤ 16 KiB, hostile input
// refused with the field named), the histogram layout shared with kaizen, names and key shapes,
// configuration errors, broadcast summaries, traceparents and stored ledger entries.
#include "fleet/command_answers.h"
#include "fleet/fleet_config.h"
#include "fleet/fleet_names.h"
#include "fleet/fleet_snapshot.h"
#include "fleet/ledger_entry_json.h"
#include "fleet/sparse_latency_histogram.h"
#include "fleet/traceparent.h"
#include "kaizen/latency_histogram.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QtTest>

using namespace tai::fleet;

namespace {

FleetSnapshot typical() {
    FleetSnapshot s;
    s.instance = QStringLiteral("i1");
    s.sequence = 42;
    s.publishedAtMs = 1'700'000'000'000;
    s.light = QStringLiteral("yellow");
    for (int i = 0; i < 12; ++i) {
        s.breakers.push_back({QStringLiteral("gateway-%1").arg(i), i == 3 ? "open" : "closed", i == 3,
                              i == 3 ? "operator:alice" : "system"});
    }
    for (int i = 0; i < 6; ++i) {
        s.queues.push_back({QStringLiteral("queue-%1").arg(i), 10 * i, 1000});
    }
    s.tokenFill = 0.625;
    for (int i = 0; i < 24; ++i) {
        s.counters[QStringLiteral("outcome_%1").arg(i)] = 1'000'000ull * static_cast<unsigned>(i + 1);
    }
    s.countersSinceMs = 1'699'999'000'000;
    QRandomGenerator random(7);
    for (int i = 0; i < 1000; ++i) {  // a busy half second: a few hundred distinct buckets
        s.latency.record(200 + random.bounded(200'000));
    }
    for (int i = 0; i < 10; ++i) {
        s.alerts.push_back(
            {QStringLiteral("latency_p99"), QStringLiteral("gateway-%1").arg(i), "high", "firing"});
    }
    s.rollouts.push_back(QJsonObject{{"id", "r-1"}, {"phase", "canary"}, {"share", 0.05}});
    s.policyVersion = QStringLiteral("v7");
    s.leader = true;
    return s;
}

}  // namespace

class TestFleetValues : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theHistogramLayoutIsKaizens() {
        QCOMPARE(SparseLatencyHistogram::bucketCount(), tai::LatencyHistogram::kBuckets);
        for (int i = 0; i < SparseLatencyHistogram::bucketCount(); ++i) {
            QCOMPARE(SparseLatencyHistogram::bucketLow(i), tai::LatencyHistogram::bucketLow(i));
            QCOMPARE(SparseLatencyHistogram::bucketHigh(i), tai::LatencyHistogram::bucketHigh(i));
        }
        QRandomGenerator random(11);
        tai::LatencyHistogram dense;
        SparseLatencyHistogram sparse;
        for (int i = 0; i < 20'000; ++i) {
            const std::uint64_t value = random.generate64() >> random.bounded(16, 60);
            QCOMPARE(SparseLatencyHistogram::bucketIndex(value), tai::LatencyHistogram::bucketIndex(value));
            dense.record(value);
            sparse.record(value);
        }
        for (const double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            QCOMPARE(sparse.percentile(q), dense.percentile(q));
        }
        QVERIFY(!sparse.add(-1, 1));
        QVERIFY(!sparse.add(SparseLatencyHistogram::bucketCount(), 1));
    }

    void aTypicalSnapshotRoundTripsWellUnder16KiB() {
        const FleetSnapshot s = typical();
        QStringList leftOut;
        auto bytes = encodeFleetSnapshot(s, &leftOut);
        QVERIFY(bytes.ok());
        QVERIFY(leftOut.isEmpty());
        QVERIFY2(bytes.value().size() <= FleetSnapshot::kMaxBytes,
                 qPrintable(QString::number(bytes.value().size())));
        qInfo(
            "a typical snapshot (12 breakers, 6 queues, 24 counters, %zu latency buckets, 10 alerts): %lld "
            "bytes",
            s.latency.buckets().size(), static_cast<long long>(bytes.value().size()));
        auto back = decodeFleetSnapshot(bytes.value());
        QVERIFY2(back.ok(), qPrintable(back.error().message));
        const FleetSnapshot& d = back.value();
        QCOMPARE(d.instance, s.instance);
        QCOMPARE(d.sequence, s.sequence);
        QCOMPARE(d.publishedAtMs, s.publishedAtMs);
        QCOMPARE(d.light, s.light);
        QVERIFY(d.breakers == s.breakers);
        QVERIFY(d.queues == s.queues);
        QCOMPARE(d.tokenFill, s.tokenFill);
        QVERIFY(d.counters == s.counters);
        QCOMPARE(d.countersSinceMs, s.countersSinceMs);
        QVERIFY(d.latency.buckets() == s.latency.buckets());
        QCOMPARE(d.latency.max(), s.latency.max());
        QCOMPARE(d.latency.percentile(0.99), s.latency.percentile(0.99));
        QVERIFY(d.alerts == s.alerts);
        QCOMPARE(d.rollouts, s.rollouts);
        QCOMPARE(d.policyVersion, s.policyVersion);
        QCOMPARE(d.leader, true);
    }

    void anOversizedSnapshotLeavesOutRolloutsThenAlertsOrIsRefused() {
        FleetSnapshot s = typical();
        for (int i = 0; i < 40; ++i) {
            s.rollouts.push_back(
                QJsonObject{{"id", QStringLiteral("r-%1").arg(i)}, {"notes", QString(500, u'n')}});
        }
        QStringList leftOut;
        auto bytes = encodeFleetSnapshot(s, &leftOut);
        QVERIFY(bytes.ok());
        QVERIFY(bytes.value().size() <= FleetSnapshot::kMaxBytes);
        QCOMPARE(leftOut, QStringList{"rollouts"});
        auto back = decodeFleetSnapshot(bytes.value());
        QVERIFY(back.ok());
        QCOMPARE(back.value().truncated, QStringList{"rollouts"});
        QVERIFY(back.value().rollouts.empty());
        QCOMPARE(back.value().alerts.size(), std::size_t{10});

        for (int i = 0; i < 200; ++i) {
            s.alerts.push_back({QStringLiteral("rule-%1").arg(i), QString(60, u's'), "low", "pending"});
        }
        bytes = encodeFleetSnapshot(s, &leftOut);
        QVERIFY(bytes.ok());
        QVERIFY(bytes.value().size() <= FleetSnapshot::kMaxBytes);
        QCOMPARE(leftOut, QStringList({"rollouts", "alerts"}));

        for (int i = 0; i < 300; ++i) {
            s.breakers.push_back(
                {QStringLiteral("breaker-with-a-long-name-%1").arg(i), "closed", false, "system"});
        }
        bytes = encodeFleetSnapshot(s);
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().kind, FleetError::Kind::TooLarge);
        QVERIFY(bytes.error().message.contains("16384"));
    }

    void hostileSnapshotsAreRefusedNamingTheField_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const QByteArray ok = "{\"v\":1,\"instance\":\"i1\",\"seq\":\"1\"";
        QTest::newRow("not json") << QByteArray("{\"v\":1,") << "not a JSON object";
        QTest::newRow("an array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("a newer version")
            << QByteArray("{\"v\":2,\"instance\":\"i1\",\"seq\":\"1\"}") << "version 2";
        QTest::newRow("no instance") << QByteArray("{\"v\":1,\"seq\":\"1\"}") << "instance";
        QTest::newRow("instance 'all'")
            << QByteArray("{\"v\":1,\"instance\":\"all\",\"seq\":\"1\"}") << "instance 'all'";
        QTest::newRow("instance with a dot")
            << QByteArray("{\"v\":1,\"instance\":\"a.b\",\"seq\":\"1\"}") << "instance";
        QTest::newRow("seq a number") << QByteArray("{\"v\":1,\"instance\":\"i1\",\"seq\":1}") << "seq";
        QTest::newRow("breakers not a list") << ok + ",\"breakers\":{\"a\":1}}"
                                             << "breakers";
        QTest::newRow("a breaker without name") << ok + ",\"breakers\":[{\"state\":\"open\"}]}"
                                                << "breakers[0].name";
        QTest::newRow("a queue depth negative") << ok + ",\"queues\":[{\"name\":\"q\",\"depth\":-3}]}"
                                                << "queues[0].depth";
        QTest::newRow("a counter not a number") << ok + ",\"counters\":{\"values\":{\"ok\":\"many\"}}}"
                                                << "counters.values.ok";
        QTest::newRow("a bucket outside the layout") << ok + ",\"latency\":{\"buckets\":[[999999,1]]}}"
                                                     << "latency.buckets";
        QTest::newRow("a bucket count negative") << ok + ",\"latency\":{\"buckets\":[[5,-1]]}}"
                                                 << "latency.buckets";
        QTest::newRow("a bucket not a pair") << ok + ",\"latency\":{\"buckets\":[[5]]}}"
                                             << "latency.buckets";
        QTest::newRow("a long light") << ok + ",\"light\":\"" + QByteArray(300, 'x') + "\"}"
                                      << "snapshot.light";
        QByteArray many = ok + ",\"queues\":[";
        for (int i = 0; i < 600; ++i) {
            many += QByteArray(i == 0 ? "" : ",") + "{}";
        }
        QTest::newRow("too many queues") << many + "]}"
                                         << "queues";
        QTest::newRow("more than 16 KiB") << ok + ",\"policy\":\"" + QByteArray(17000, 'p') + "\"}"
                                          << "16384";
    }
    void hostileSnapshotsAreRefusedNamingTheField() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        auto decoded = decodeFleetSnapshot(bytes);
        QVERIFY(!decoded.ok());
        QVERIFY2(decoded.error().message.contains(mentions), qPrintable(decoded.error().message));
    }

    void keysAndSubjectsHaveTheDesignedShapes() {
        const FleetNames names(QStringLiteral("prod"));
        QCOMPARE(names.idempotencyBucket(), QString("tai_prod_idem"));
        QCOMPARE(names.customerBucket(), QString("tai_prod_cust"));
        QCOMPARE(names.membersBucket(), QString("tai_prod_members"));
        QCOMPARE(names.leaseBucket(), QString("tai_prod_lease"));
        QCOMPARE(names.rolloutsBucket(), QString("tai_prod_rollouts"));
        QCOMPARE(names.controlBucket(), QString("tai_prod_control"));
        QCOMPARE(names.auditStream(), QString("TAI_prod_AUDIT"));
        QCOMPARE(names.snapshotSubject("i3"), QString("tai.prod.snap.i3"));
        QCOMPARE(names.controlSubject("i3"), QString("tai.prod.ctl.i3"));
        QCOMPARE(names.controlAllSubject(), QString("tai.prod.ctl.all"));
        QCOMPARE(names.deploySubject(), QString("tai.prod.deploy"));
        QCOMPARE(FleetNames::idempotencyKey("abc"),
                 QString("k.ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(FleetNames::customerKey("cust/42?"), QString("c.Y3VzdC80Mj8"));  // base64url, no padding
        QCOMPARE(FleetNames::memberKey("i3"), QString("m.i3"));
        QCOMPARE(FleetNames::memberFromKey("m.i3"), QString("i3"));
    }

    void instanceIdsAndFleetNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("instance");
        QTest::addColumn<bool>("fleet");
        QTest::newRow("plain") << "i1" << true << true;
        QTest::newRow("dash and underscore") << "eu-west_2" << true << true;
        QTest::newRow("all is the broadcast subject") << "all" << false << true;
        QTest::newRow("a dot would split the subject") << "a.b" << false << false;
        QTest::newRow("a wildcard") << "i*" << false << false;
        QTest::newRow("empty") << "" << false << false;
        QTest::newRow("65 characters") << QString(65, u'x') << false << false;
        QTest::newRow("64 characters") << QString(64, u'x') << true << true;
        QTest::newRow("a space") << "i 1" << false << false;
    }
    void instanceIdsAndFleetNames() {
        QFETCH(QString, name);
        QFETCH(bool, instance);
        QFETCH(bool, fleet);
        QCOMPARE(FleetNames::isValidInstanceId(name), instance);
        QCOMPARE(FleetNames::isValidFleetName(name), fleet);
    }

    void badConfigurationNamesTheField_data() {
        QTest::addColumn<QStringList>("urls");
        QTest::addColumn<QString>("fleetName");
        QTest::addColumn<QString>("instance");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fine") << QStringList{"nats://127.0.0.1:4222"} << "prod"
                              << "i1"
                              << "";
        QTest::newRow("a console needs no id") << QStringList{"nats://127.0.0.1:4222"} << "prod"
                                               << ""
                                               << "";
        QTest::newRow("no URL") << QStringList{} << "prod"
                                << "i1"
                                << "no server URL";
        QTest::newRow("http") << QStringList{"http://127.0.0.1:4222"} << "prod"
                              << "i1"
                              << "http://127.0.0.1:4222";
        QTest::newRow("no port") << QStringList{"nats://127.0.0.1"} << "prod"
                                 << "i1"
                                 << "nats://HOST:PORT";
        QTest::newRow("second URL bad") << QStringList{"nats://127.0.0.1:4222", "nats//x"} << "prod"
                                        << "i1"
                                        << "'nats//x'";
        QTest::newRow("fleet name") << QStringList{"nats://127.0.0.1:4222"} << "pro d"
                                    << "i1"
                                    << "fleet name";
        QTest::newRow("instance id") << QStringList{"nats://127.0.0.1:4222"} << "prod"
                                     << "all"
                                     << "instance id";
    }
    void badConfigurationNamesTheField() {
        QFETCH(QStringList, urls);
        QFETCH(QString, fleetName);
        QFETCH(QString, instance);
        QFETCH(QString, mentions);
        FleetConfig config;
        config.urls = urls;
        config.fleetName = fleetName;
        config.instanceId = instance;
        const FleetError error = config.validate();
        QCOMPARE(error.ok(), mentions.isEmpty());
        if (!mentions.isEmpty()) {
            QCOMPARE(error.kind, FleetError::Kind::InvalidArgument);
            QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
        }
    }

    void broadcastSummaries_data() {
        QTest::addColumn<QStringList>("answers");  // instance:outcome[:status[:reason]]
        QTest::addColumn<QString>("summary");
        QTest::newRow("all applied") << QStringList{"i1:answered:200", "i2:answered:204"}
                                     << "applied on 2 of 2";
        QTest::newRow("the design's example")
            << QStringList{"i1:answered:200", "i2:answered:200", "i3:noreply", "i4:answered:200",
                           "i5:answered:409:rollout already active"}
            << "applied on 3 of 5 · i3 no reply · i5 refused (409 rollout already active)";
        QTest::newRow("refused without a reason")
            << QStringList{"i1:answered:503"} << "applied on 0 of 1 · i1 refused (503)";
        QTest::newRow("could not send")
            << QStringList{"i1:failed:0:not connected"} << "applied on 0 of 1 · i1 failed (not connected)";
        QTest::newRow("nobody") << QStringList{} << "applied on 0 of 0";
    }
    void broadcastSummaries() {
        QFETCH(QStringList, answers);
        QFETCH(QString, summary);
        BroadcastResult result;
        for (const QString& spec : answers) {
            const QStringList p = spec.split(u':');
            CommandAnswer a;
            a.instance = p.value(0);
            a.outcome = p.value(1) == u"answered"  ? CommandAnswer::Outcome::Answered
                        : p.value(1) == u"noreply" ? CommandAnswer::Outcome::NoReply
                                                   : CommandAnswer::Outcome::Failed;
            a.status = p.value(2).toInt();
            a.reason = p.value(3);
            result.answers.push_back(a);
        }
        QCOMPARE(result.summary(), summary);
    }

    void traceparents_data() {
        QTest::addColumn<QByteArray>("traceparent");
        QTest::addColumn<bool>("valid");
        QTest::newRow("w3c example") << QByteArray("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                                     << true;
        QTest::newRow("upper case") << QByteArray("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")
                                    << false;
        QTest::newRow("zero trace id")
            << QByteArray("00-00000000000000000000000000000000-00f067aa0ba902b7-01") << false;
        QTest::newRow("zero parent id")
            << QByteArray("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01") << false;
        QTest::newRow("version ff") << QByteArray("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                                    << false;
        QTest::newRow("short") << QByteArray("00-4bf92f35-00f067aa0ba902b7-01") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void traceparents() {
        QFETCH(QByteArray, traceparent);
        QFETCH(bool, valid);
        QCOMPARE(isValidTraceparent(traceparent), valid);
    }

    void ledgerEntriesRoundTripAndBadOnesAreNamed() {
        LedgerEntry e;
        e.key = QStringLiteral("order-\u00e9-17");
        e.state = ClaimState::Done;
        e.bodyHash = QByteArray::fromHex("00ff10");
        e.response = "{\"status\":\"approved\",\"amount\":\"12.30\"}";
        e.owner = QStringLiteral("i2");
        e.claimId = QStringLiteral("c0ffee");
        e.claimedAtMs = 1'700'000'000'123;
        e.updatedAtMs = 1'700'000'000'456;
        auto back = decodeLedgerEntry(encodeLedgerEntry(e), 77);
        QVERIFY(back.ok());
        QCOMPARE(back.value().key, e.key);
        QCOMPARE(back.value().state, ClaimState::Done);
        QCOMPARE(back.value().bodyHash, e.bodyHash);
        QCOMPARE(back.value().response, e.response);
        QCOMPARE(back.value().owner, e.owner);
        QCOMPARE(back.value().claimId, e.claimId);
        QCOMPARE(back.value().claimedAtMs, e.claimedAtMs);
        QCOMPARE(back.value().revision, std::uint64_t{77});

        QVERIFY(decodeLedgerEntry("nope", 1).error().message.contains("not a JSON object"));
        QVERIFY(decodeLedgerEntry("{\"v\":1,\"key\":\"k\",\"owner\":\"o\",\"claim\":\"c\",\"state\":"
                                  "\"maybe\",\"hash\":\"AA==\"}",
                                  1)
                    .error()
                    .message.contains("'state'"));
        QVERIFY(
            decodeLedgerEntry(
                "{\"v\":1,\"key\":\"k\",\"owner\":\"o\",\"claim\":\"c\",\"state\":\"done\",\"hash\":\"!!\"}",
                1)
                .error()
                .message.contains("'hash'"));
        QVERIFY(decodeLedgerEntry("{\"v\":1,\"key\":\"k\",\"state\":\"done\",\"hash\":\"AA==\"}", 1)
                    .error()
                    .message.contains("'owner'"));
    }
};

QTEST_GUILESS_MAIN(TestFleetValues)
#include "tst_fleet_values.moc"
