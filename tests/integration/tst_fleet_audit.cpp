// The audit copy (FLEET.md §14.2) against a real nats-server: each row once in TAI_<fleet>_AUDIT
// with Nats-Msg-Id <instance>:<seq>, a resend stored once, and the rows missed while the server was
// down (more than the bounded queue holds) read again from the instance's own trail.
#include "fleet_test_support.h"

#include "fleet/audit_forwarder.h"

#include <QtTest>

#include <mutex>

using namespace tai::fleet;
using namespace std::chrono_literals;

namespace {

// Stands in for the instance's SQLite audit trail, the source of truth.
class Trail {
public:
    AuditRow add() {
        std::lock_guard lock(mutex_);
        AuditRow row{rows_.size() + 1,
                     QByteArray(R"({"event":"payment","n":)") + QByteArray::number(rows_.size() + 1) + '}'};
        rows_.push_back(row);
        return row;
    }
    std::vector<AuditRow> after(std::uint64_t sequence, int limit) {
        std::lock_guard lock(mutex_);
        ++reads_;
        std::vector<AuditRow> out;
        for (const AuditRow& row : rows_) {
            if (row.sequence > sequence && static_cast<int>(out.size()) < limit) {
                out.push_back(row);
            }
        }
        return out;
    }
    AuditForwarder::Source source() {
        return [this](std::uint64_t sequence, int limit) {
            return after(sequence, limit);
        };
    }
    int reads() {
        std::lock_guard lock(mutex_);
        return reads_;
    }

private:
    std::mutex mutex_;
    std::vector<AuditRow> rows_;
    int reads_ = 0;
};

// Every message in the stream, as (instance:seq) ids in stream order.
QStringList streamIds(FleetConnection& connection) {
    QStringList ids;
    auto state = connection.streamState(connection.names().auditStream());
    if (!state.ok()) {
        return {state.error().message};
    }
    for (std::uint64_t s = state.value().firstSequence; s <= state.value().lastSequence && s > 0; ++s) {
        auto message = connection.streamMessage(connection.names().auditStream(), s);
        if (message.ok()) {
            ids << QString::fromUtf8(message.value().message.header("Nats-Msg-Id"));
        }
    }
    return ids;
}

QStringList expectedIds(const QString& instance, int from, int to) {
    QStringList ids;
    for (int s = from; s <= to; ++s) {
        ids << instance + u':' + QString::number(s);
    }
    return ids;
}

}  // namespace

class TestFleetAudit : public QObject {
    Q_OBJECT

    std::shared_ptr<FleetConnection> connect(NatsTestServer& server, const QString& fleet,
                                             const QString& id) {
        auto connection = fleet_test::open(fleet_test::config(server, fleet, id));
        return connection && fleet_test::waitConnected(*connection) ? connection : nullptr;
    }

private Q_SLOTS:
    void rowsAreCopiedOnceEachAndAResendIsStoredOnce() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto connection = connect(server, "audit1", "i1");
        QVERIFY(connection);
        Trail trail;
        {
            AuditForwarder forwarder(connection, trail.source(), {});
            forwarder.start();
            for (int i = 0; i < 20; ++i) {
                QVERIFY(forwarder.append(trail.add()));
            }
            QTRY_COMPARE_WITH_TIMEOUT(forwarder.status().lastAcknowledged, std::uint64_t{20}, 10000);
            QCOMPARE(forwarder.status().forwarded, std::uint64_t{20});
            QCOMPARE(forwarder.status().duplicates, std::uint64_t{0});
        }
        QCOMPARE(streamIds(*connection), expectedIds("i1", 1, 20));
        auto last = connection->lastStreamMessage(connection->names().auditStream(),
                                                  connection->names().auditSubject("i1"));
        QVERIFY(last.ok());
        QCOMPARE(last.value().message.header("Tai-Seq"), QByteArray("20"));
        QCOMPARE(last.value().message.data, QByteArray(R"({"event":"payment","n":20})"));

        // A forwarder that lost its place sends everything again: the stream keeps one copy.
        AuditForwarder::Options forgetful;
        forgetful.resumeFromStream = false;
        AuditForwarder again(connection, trail.source(), forgetful);
        again.start();
        QVERIFY(again.append(trail.add()));  // row 21: rows 1–20 are read again from the trail first
        QTRY_COMPARE_WITH_TIMEOUT(again.status().lastAcknowledged, std::uint64_t{21}, 10000);
        QCOMPARE(again.status().duplicates, std::uint64_t{20});
        QCOMPARE(again.status().forwarded, std::uint64_t{1});
        QCOMPARE(streamIds(*connection), expectedIds("i1", 1, 21));

        // A restarted instance resumes after what the stream has, without re-reading the trail.
        const int readsBefore = trail.reads();
        AuditForwarder resumed(connection, trail.source(), {});
        resumed.start();
        QVERIFY(resumed.append(trail.add()));
        QTRY_COMPARE_WITH_TIMEOUT(resumed.status().lastAcknowledged, std::uint64_t{22}, 10000);
        QCOMPARE(trail.reads(), readsBefore);
        QCOMPARE(resumed.status().duplicates, std::uint64_t{0});
    }

    void rowsMissedWhileTheServerWasDownAreRepairedFromTheTrail() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto connection = connect(server, "audit2", "i1");
        QVERIFY(connection);
        Trail trail;
        AuditForwarder::Options small;
        small.capacity = 5;
        small.repairBatch = 7;  // several rounds of repair
        small.retryInterval = 100ms;
        AuditForwarder forwarder(connection, trail.source(), small);
        forwarder.start();
        for (int i = 0; i < 5; ++i) {
            QVERIFY(forwarder.append(trail.add()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(forwarder.status().lastAcknowledged, std::uint64_t{5}, 10000);

        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!connection->isConnected(), 5000);
        int accepted = 0;
        for (int i = 0; i < 45; ++i) {  // rows 6–50: five wait in the queue, the rest are dropped
            accepted += forwarder.append(trail.add()) ? 1 : 0;
        }
        QCOMPARE(accepted, 5);
        QCOMPARE(forwarder.status().dropped, std::uint64_t{40});
        QCOMPARE(forwarder.status().lastAcknowledged, std::uint64_t{5});

        QVERIFY(server.restart());
        QTRY_COMPARE_WITH_TIMEOUT(forwarder.status().lastAcknowledged, std::uint64_t{50}, 15000);
        QVERIFY(forwarder.status().repaired >= 40);
        QCOMPARE(streamIds(*connection), expectedIds("i1", 1, 50));  // in order, no gap, no copy twice
    }

    void aServerThatLostItsStoreGetsTheWholeTrailAgain() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto connection = connect(server, "audit3", "i1");
        QVERIFY(connection);
        Trail trail;
        AuditForwarder::Options options;
        options.retryInterval = 100ms;
        AuditForwarder forwarder(connection, trail.source(), options);
        forwarder.start();
        for (int i = 0; i < 10; ++i) {
            QVERIFY(forwarder.append(trail.add()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(forwarder.status().lastAcknowledged, std::uint64_t{10}, 10000);

        QVERIFY(server.restart(false));
        QTRY_VERIFY_WITH_TIMEOUT(connection->isConnected(), 10000);
        QVERIFY(forwarder.append(trail.add()));
        QTRY_COMPARE_WITH_TIMEOUT(streamIds(*connection), expectedIds("i1", 1, 11), 15000);
        QCOMPARE(forwarder.status().lastAcknowledged, std::uint64_t{11});
    }
};

QTEST_GUILESS_MAIN(TestFleetAudit)
#include "tst_fleet_audit.moc"
