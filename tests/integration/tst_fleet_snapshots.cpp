// Snapshots end to end against a real nats-server: three instances publish twice a second, one
// console-side FleetClient folds them into FleetViews at most 10 times a second and hands each to
// the main thread; an instance that stops publishing turns "not reporting" but stays listed.
#include "fleet_test_support.h"

#include "fleet/fleet_client.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/snapshot_publisher.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

using namespace tai::fleet;
using namespace std::chrono_literals;

namespace {

struct Publisher {
    std::shared_ptr<FleetConnection> connection;
    std::shared_ptr<FleetIoThread> io;
    std::unique_ptr<SnapshotPublisher> publisher;
    std::uint64_t approved = 0;
};

}  // namespace

class TestFleetSnapshots : public QObject {
    Q_OBJECT

    std::unique_ptr<NatsTestServer> server_;

    std::unique_ptr<Publisher> publisher(const QString& id, const QString& gatewayState,
                                         const QString& fleet = "snaps",
                                         std::chrono::milliseconds interval = 500ms) {
        auto p = std::make_unique<Publisher>();
        p->connection = fleet_test::open(fleet_test::config(*server_, fleet, id));
        if (!p->connection || !fleet_test::waitConnected(*p->connection)) {
            return nullptr;
        }
        p->io = std::make_shared<FleetIoThread>(u"io-" + id);
        Publisher* self = p.get();
        p->publisher = std::make_unique<SnapshotPublisher>(
            p->connection, p->io,
            [self, gatewayState] {
                FleetSnapshot s;  // the engine would fill this from its own snapshot
                s.light = gatewayState == u"open" ? QStringLiteral("red") : QStringLiteral("green");
                s.breakers.push_back(
                    {QStringLiteral("gateway"), gatewayState, false, QStringLiteral("system")});
                s.queues.push_back({QStringLiteral("payments"), 3, 100});
                s.countersSinceMs = 1;
                self->approved += 10;
                s.counters[QStringLiteral("approved")] = self->approved;
                s.latency.record(1500);
                s.policyVersion = QStringLiteral("v7");
                return s;
            },
            SnapshotPublisher::Options{interval});
        return p;
    }

private Q_SLOTS:
    void initTestCase() {
        server_ = std::make_unique<NatsTestServer>();
        QVERIFY2(server_->running(), server_->log().constData());
    }
    void cleanupTestCase() { server_.reset(); }

    void theConsoleSeesEveryInstanceAndGreysTheSilentOne() {
        auto i1 = publisher("i1", "closed");
        auto i2 = publisher("i2", "open");
        auto i3 = publisher("i3", "closed");
        QVERIFY(i1 && i2 && i3);
        auto console = fleet_test::open(fleet_test::config(*server_, "snaps", {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        FleetClient client(console, {});
        QSignalSpy views(&client, &FleetClient::viewChanged);
        bool offMainThread = false;
        connect(&client, &FleetClient::viewChanged, this,
                [&offMainThread] { offMainThread |= QThread::currentThread() != qApp->thread(); });
        client.start();
        i1->publisher->start();
        i2->publisher->start();
        i3->publisher->start();

        QTRY_VERIFY_WITH_TIMEOUT(client.view() && client.view()->reporting == 3, 5000);
        const FleetViewPtr all = client.view();
        QCOMPARE(all->instances.size(), std::size_t{3});
        QCOMPARE(all->breaker("gateway")->summary(), QString("OPEN on 1 of 3"));
        QCOMPARE(all->find("i2")->snapshot.light, QString("red"));
        QCOMPARE(all->policyVersions.at("v7"), 3);
        QVERIFY(all->counters.at("approved") >= 30);

        QVERIFY(views.size() >= 2);
        QVERIFY(!offMainThread);

        // i2 stops publishing: listed, greyed, out of the sums, its breaker counted as not reporting.
        i2->publisher->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!client.view()->find("i2")->reporting, 5000);
        const FleetViewPtr later = client.view();
        QCOMPARE(later->instances.size(), std::size_t{3});
        QCOMPARE(later->reporting, 2);
        QCOMPARE(later->breaker("gateway")->summary(), QString("closed on 2 of 3 · 1 not reporting"));
        QCOMPARE(later->policyVersions.at("v7"), 2);
        QVERIFY(later->latency.count() > 0);
        QCOMPARE(i1->publisher->stats().tooLarge, std::uint64_t{0});
        QVERIFY(i1->publisher->stats().published >= 4);
        QCOMPARE(client.rejectedSnapshots(), std::uint64_t{0});
    }

    void viewsComeAtMostTenTimesASecondHoweverFastSnapshotsArrive() {
        auto fast = publisher("i1", "closed", "fast", 20ms);  // 50 snapshots a second
        QVERIFY(fast);
        auto console = fleet_test::open(fleet_test::config(*server_, "fast", {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        FleetClient client(console, {});
        QSignalSpy views(&client, &FleetClient::viewChanged);
        client.start();
        fast->publisher->start();
        QTRY_VERIFY_WITH_TIMEOUT(client.view() && client.view()->reporting == 1, 5000);
        views.clear();
        QElapsedTimer elapsed;
        elapsed.start();
        QTRY_VERIFY_WITH_TIMEOUT(views.size() >= 15, 10000);
        // 15 views, at least 100 ms apart: 1.4 s at the very least.
        QVERIFY2(elapsed.elapsed() >= 1300, qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY(fast->publisher->stats().published > 50);
    }
};

QTEST_GUILESS_MAIN(TestFleetSnapshots)
#include "tst_fleet_snapshots.moc"
