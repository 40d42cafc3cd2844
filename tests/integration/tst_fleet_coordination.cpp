// Who is in the fleet and who leads it, against a real nats-server: membership that expires with
// its TTL, the controller lease (acquire, renew, expiry, failover, hand-over) and the fencing of a
// stale ex-leader's rollout writes. Short timings (a lease of 1.5 s) keep the suite fast.
#include "fleet_test_support.h"

#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_membership.h"
#include "fleet/leader_lease.h"
#include "fleet/rollout_record_store.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <future>

using namespace tai::fleet;
using namespace std::chrono_literals;

namespace {

// One instance: its connection, its I/O thread.
struct Instance {
    std::shared_ptr<FleetConnection> connection;
    std::shared_ptr<FleetIoThread> io;
};

LeaderLease::Options shortLease() {
    LeaderLease::Options options;
    options.ttl = 1500ms;
    options.renewInterval = 400ms;
    options.campaignInterval = 250ms;
    return options;
}

// Holds an instance's I/O thread, as a SIGSTOP would: nothing it queues runs until released.
class Stall {
public:
    explicit Stall(FleetIoThread& io) {
        io.post([future = released_.get_future().share()] { future.wait(); });
    }
    ~Stall() { release(); }
    void release() {
        if (!done_) {
            released_.set_value();
            done_ = true;
        }
    }

private:
    std::promise<void> released_;
    bool done_ = false;
};

}  // namespace

class TestFleetCoordination : public QObject {
    Q_OBJECT

    std::unique_ptr<NatsTestServer> server_;
    int fleets_ = 0;

    QString freshFleet() { return QStringLiteral("coord%1").arg(++fleets_); }
    Instance instance(const QString& fleet, const QString& id) {
        auto connection = fleet_test::open(fleet_test::config(*server_, fleet, id));
        if (!connection || !fleet_test::waitConnected(*connection)) {
            return {};
        }
        return {connection, std::make_shared<FleetIoThread>(u"io-" + id)};
    }
    static QStringList live(Instance& observer, std::chrono::milliseconds ttl) {
        auto members = FleetMembership::liveMembers(*observer.connection, ttl);
        QStringList ids;
        if (members.ok()) {
            for (const FleetMember& member : members.value()) {
                ids << member.instance + u'=' + QString::fromUtf8(member.payload);
            }
        }
        ids.sort();
        return ids;
    }

private Q_SLOTS:
    void initTestCase() {
        server_ = std::make_unique<NatsTestServer>();
        QVERIFY2(server_->running(), server_->log().constData());
    }
    void cleanupTestCase() { server_.reset(); }

    void membersAppearWithTheirPayloadAndExpireAfterTheTtl() {
        const QString fleet = freshFleet();
        Instance a = instance(fleet, "i1");
        Instance b = instance(fleet, "i2");
        QVERIFY(a.connection && b.connection);
        const FleetMembership::Options options{1500ms, 300ms};
        FleetMembership ma(a.connection, a.io, options), mb(b.connection, b.io, options);
        ma.setPayload("http=127.0.0.1:8081");
        mb.setPayload("http=127.0.0.1:8082");
        ma.start();
        mb.start();
        QTRY_COMPARE_WITH_TIMEOUT(live(a, options.ttl),
                                  QStringList({"i1=http=127.0.0.1:8081", "i2=http=127.0.0.1:8082"}), 5000);
        QVERIFY(ma.healthy() && mb.healthy());

        // i2 stops beating: after its TTL it is gone, while i1 stays.
        mb.stop();
        QElapsedTimer sinceStop;
        sinceStop.start();
        QTRY_COMPARE_WITH_TIMEOUT(live(a, options.ttl), QStringList({"i1=http=127.0.0.1:8081"}), 8000);
        QVERIFY2(sinceStop.elapsed() >= 1000, "a member must outlive most of its TTL");
    }

    void oneInstanceWinsTheLeaseAndKeepsItByRenewing() {
        const QString fleet = freshFleet();
        Instance a = instance(fleet, "i1");
        Instance b = instance(fleet, "i2");
        QVERIFY(a.connection && b.connection);
        LeaderLease la(a.connection, a.io, shortLease()), lb(b.connection, b.io, shortLease());
        QSignalSpy acquiredA(&la, &LeaderLease::acquired), acquiredB(&lb, &LeaderLease::acquired);
        QSignalSpy lostA(&la, &LeaderLease::lost), lostB(&lb, &LeaderLease::lost);
        la.start();
        lb.start();
        QTRY_COMPARE_WITH_TIMEOUT(acquiredA.size() + acquiredB.size(), 1, 5000);
        LeaderLease& leader = acquiredA.size() == 1 ? la : lb;
        LeaderLease& follower = acquiredA.size() == 1 ? lb : la;
        const quint64 epoch = leader.epoch();
        QVERIFY(epoch > 0);
        QVERIFY(leader.isLeader());
        QVERIFY(!follower.isLeader());
        QCOMPARE(follower.epoch(), quint64{0});

        // Two lease lifetimes later: still the same leader at the same epoch, nobody lost anything.
        QSignalSpy anyLost(&leader, &LeaderLease::lost);
        QVERIFY(!anyLost.wait(3000));
        QVERIFY(leader.isLeader());
        QCOMPARE(leader.epoch(), epoch);
        QCOMPARE(lostA.size() + lostB.size(), 0);
        QCOMPARE(acquiredA.size() + acquiredB.size(), 1);
    }

    void aStalledLeaderStepsDownBeforeAnotherTakesOverAndIsFenced() {
        const QString fleet = freshFleet();
        Instance a = instance(fleet, "i1");
        Instance b = instance(fleet, "i2");
        QVERIFY(a.connection && b.connection);
        LeaderLease la(a.connection, a.io, shortLease());
        QSignalSpy acquiredA(&la, &LeaderLease::acquired);
        la.start();
        QTRY_COMPARE_WITH_TIMEOUT(acquiredA.size(), 1, 5000);
        const quint64 oldEpoch = la.epoch();

        RolloutRecordStore::Options storeOptions;
        storeOptions.leaseTtl = shortLease().ttl;
        RolloutRecordStore oldLeader(a.connection, storeOptions), newLeader(b.connection, storeOptions);
        const RolloutWriteResult first = oldLeader.write("rollout/r1", R"({"phase":"canary"})", 0, oldEpoch);
        QCOMPARE(first.kind, RolloutWriteResult::Kind::Written);

        LeaderLease lb(b.connection, b.io, shortLease());
        QSignalSpy acquiredB(&lb, &LeaderLease::acquired);
        QSignalSpy lostA(&la, &LeaderLease::lost);
        QElapsedTimer clock;
        qint64 lostAt = -1;
        qint64 acquiredAt = -1;
        connect(&la, &LeaderLease::lost, this, [&] { lostAt = clock.elapsed(); });
        connect(&lb, &LeaderLease::acquired, this, [&] { acquiredAt = clock.elapsed(); });
        clock.start();
        Stall stall(*a.io);  // i1 freezes: its renewals wait
        lb.start();

        QTRY_COMPARE_WITH_TIMEOUT(acquiredB.size(), 1, 6000);
        QCOMPARE(lostA.size(), 1);
        QVERIFY(!la.isLeader());
        // Never two controllers: the stalled one had given up before the other won.
        QVERIFY2(lostAt >= 0 && lostAt < acquiredAt,
                 qPrintable(QStringLiteral("lost at %1 ms, acquired at %2 ms").arg(lostAt).arg(acquiredAt)));
        QVERIFY(lb.epoch() > oldEpoch);
        stall.release();

        // The ex-leader's next write fails, whatever it read before.
        const RolloutWriteResult stale =
            oldLeader.write("rollout/r1", R"({"phase":"full"})", first.revision, oldEpoch);
        QCOMPARE(stale.kind, RolloutWriteResult::Kind::Fenced);
        QVERIFY(stale.error.message.contains("i2"));
        // The new controller interrupts the rollout at the revision it reads.
        auto record = newLeader.read("rollout/r1");
        QVERIFY(record.ok() && record.value());
        QCOMPARE(record.value()->epoch, oldEpoch);
        const RolloutWriteResult interrupted =
            newLeader.write("rollout/r1", R"({"phase":"interrupted"})", record.value()->revision, lb.epoch());
        QCOMPARE(interrupted.kind, RolloutWriteResult::Kind::Written);
        // Even with the lease check passed, a record written at a newer epoch fences the old one.
        const RolloutWriteResult late = oldLeader.write("rollout/r1", "x", interrupted.revision, oldEpoch);
        QCOMPARE(late.kind, RolloutWriteResult::Kind::Fenced);
        QCOMPARE(newLeader.read("rollout/r1").value()->value, QByteArray(R"({"phase":"interrupted"})"));
        // And the stalled one does not come back as leader while the other holds the lease.
        QVERIFY(!acquiredA.wait(1000));
        QVERIFY(!la.isLeader());
        QVERIFY(lb.isLeader());
    }

    void aLeaderThatStopsHandsOverWithoutWaitingForTheTtl() {
        const QString fleet = freshFleet();
        Instance a = instance(fleet, "i1");
        Instance b = instance(fleet, "i2");
        QVERIFY(a.connection && b.connection);
        LeaderLease::Options options = shortLease();
        options.ttl = 6000ms;  // long, so a hand-over in time cannot be the TTL's doing
        LeaderLease la(a.connection, a.io, options);
        QSignalSpy acquiredA(&la, &LeaderLease::acquired);
        la.start();
        QTRY_COMPARE_WITH_TIMEOUT(acquiredA.size(), 1, 5000);
        LeaderLease lb(b.connection, b.io, options);
        QSignalSpy acquiredB(&lb, &LeaderLease::acquired);
        QSignalSpy lostA(&la, &LeaderLease::lost);
        lb.start();
        QVERIFY(!acquiredB.wait(500));  // campaigning, but the lease is held

        QElapsedTimer sinceStop;
        sinceStop.start();
        la.stop();
        QCOMPARE(lostA.size(), 1);  // at once, before anything else runs
        QVERIFY(!la.isLeader());
        QTRY_COMPARE_WITH_TIMEOUT(acquiredB.size(), 1, 5000);
        QVERIFY2(sinceStop.elapsed() < 4000, qPrintable(QString::number(sinceStop.elapsed())));
    }

    void rolloutWritesAreCompareAndSwapAtTheLeaseEpoch() {
        const QString fleet = freshFleet();
        Instance a = instance(fleet, "i1");
        Instance b = instance(fleet, "i2");
        QVERIFY(a.connection && b.connection);
        LeaderLease lease(a.connection, a.io, shortLease());
        QSignalSpy acquired(&lease, &LeaderLease::acquired);
        lease.start();
        QTRY_COMPARE_WITH_TIMEOUT(acquired.size(), 1, 5000);
        const quint64 epoch = lease.epoch();
        RolloutRecordStore::Options storeOptions;
        storeOptions.leaseTtl = shortLease().ttl;
        RolloutRecordStore store(a.connection, storeOptions), bystander(b.connection, storeOptions);

        const RolloutWriteResult created = store.write("breaker/deploy-api", "closed", 0, epoch);
        QCOMPARE(created.kind, RolloutWriteResult::Kind::Written);
        QCOMPARE(store.write("breaker/deploy-api", "again", 0, epoch).kind,
                 RolloutWriteResult::Kind::Conflict);
        const RolloutWriteResult opened = store.write("breaker/deploy-api", "open", created.revision, epoch);
        QCOMPARE(opened.kind, RolloutWriteResult::Kind::Written);
        const RolloutWriteResult stale = store.write("breaker/deploy-api", "closed", created.revision, epoch);
        QCOMPARE(stale.kind, RolloutWriteResult::Kind::Conflict);
        QVERIFY(stale.current.has_value());
        QCOMPARE(stale.current->value, QByteArray("open"));
        QCOMPARE(stale.current->writer, QString("i1"));

        QCOMPARE(store.write("breaker/deploy-api", "x", opened.revision, epoch + 1).kind,
                 RolloutWriteResult::Kind::Fenced);
        QCOMPARE(bystander.write("breaker/deploy-api", "x", opened.revision, epoch).kind,
                 RolloutWriteResult::Kind::Fenced);
        QCOMPARE(store.write("breaker/deploy-api", "x", opened.revision, 0).kind,
                 RolloutWriteResult::Kind::Fenced);

        auto all = bystander.list();
        QVERIFY(all.ok());
        QCOMPARE(all.value().size(), std::size_t{1});
        QCOMPARE(all.value()[0].epoch, epoch);
        QCOMPARE(all.value()[0].value, QByteArray("open"));
    }
};

QTEST_GUILESS_MAIN(TestFleetCoordination)
#include "tst_fleet_coordination.moc"
