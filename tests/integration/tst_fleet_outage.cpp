// The fleet store going away, against a real nats-server: stopped, calls fail at once with a
// clear error and work again once it is back (reconnect); hung (SIGSTOP), calls give up within
// their bound, and a claim that may have landed is found and released by reconciliation;
// watchers, responders and heartbeats come back by themselves after a restart.
#include "fleet_test_support.h"

#include "fleet/control_responder.h"
#include "fleet/control_watcher.h"
#include "fleet/control_writer.h"
#include "fleet/customer_window_store.h"
#include "fleet/fleet_commander.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_membership.h"
#include "fleet/nats_idempotency_ledger.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <future>

using namespace tai::fleet;
using namespace std::chrono_literals;

namespace {

const QByteArray kTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// Counts the connection events libnats reports (on its own thread).
struct Events {
    std::atomic<int> disconnected{0};
    std::atomic<int> reconnected{0};
    void listen(FleetConnection& connection) {
        connection.addListener([this](ConnectionEvent event) {
            if (event == ConnectionEvent::Disconnected) {
                ++disconnected;
            } else if (event == ConnectionEvent::Reconnected) {
                ++reconnected;
            }
        });
    }
};

}  // namespace

class TestFleetOutage : public QObject {
    Q_OBJECT

    std::shared_ptr<FleetConnection> connect(NatsTestServer& server, const QString& fleet,
                                             const QString& id) {
        auto connection = fleet_test::open(fleet_test::config(server, fleet, id));
        return connection && fleet_test::waitConnected(*connection) ? connection : nullptr;
    }

private Q_SLOTS:
    void aStoppedServerFailsCallsAtOnceAndTheyWorkAgainWhenItReturns() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto connection = connect(server, "out1", "i1");
        QVERIFY(connection);
        Events events;
        events.listen(*connection);
        NatsIdempotencyLedger ledger(connection);
        CustomerWindowStore windows(connection);
        FleetCommander commander(connection);
        const ClaimResult before = ledger.claim("before", "h");
        QCOMPARE(before.kind, ClaimResult::Kind::Claimed);
        QCOMPARE(ledger.finalize(before.claim, "receipt").kind, LedgerWriteResult::Kind::Written);

        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(events.disconnected.load() >= 1, 5000);
        QVERIFY(!connection->isConnected());

        QElapsedTimer elapsed;
        elapsed.start();
        const ClaimResult during = ledger.claim("during", "h");
        const qint64 claimMs = elapsed.elapsed();
        QCOMPARE(during.kind, ClaimResult::Kind::Unavailable);
        QVERIFY(during.error.isOutage());
        QVERIFY2(during.error.message.contains("not connected"), qPrintable(during.error.message));
        // Far inside the 1 s request timeout: nothing waited on a server that is not there.
        QVERIFY2(claimMs < 250, qPrintable(QString::number(claimMs)));
        const WindowUpdateResult window = windows.update(
            "c1", [](const std::optional<QByteArray>&) { return std::optional<QByteArray>("w"); });
        QCOMPARE(window.kind, WindowUpdateResult::Kind::Unavailable);
        const CommandAnswer command = commander.sendTo("i2", "x", kTrace, 1000ms);
        QCOMPARE(command.outcome, CommandAnswer::Outcome::Failed);
        QVERIFY2(elapsed.elapsed() < 750, qPrintable(QString::number(elapsed.elapsed())));

        QVERIFY(server.restart());
        QTRY_VERIFY_WITH_TIMEOUT(events.reconnected.load() >= 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(connection->isConnected(), 5000);
        const ClaimResult retry = ledger.claim("before", "h");
        QCOMPARE(retry.kind, ClaimResult::Kind::Exists);  // the store kept what it acknowledged
        QCOMPARE(retry.existing.response, QByteArray("receipt"));
        QCOMPARE(ledger.claim("during", "h").kind, ClaimResult::Kind::Claimed);
        QCOMPARE(
            windows
                .update("c1", [](const std::optional<QByteArray>&) { return std::optional<QByteArray>("w"); })
                .kind,
            WindowUpdateResult::Kind::Stored);
    }

    void anInstanceStartedBeforeTheServerConnectsWhenItComesUp() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        server.stop();
        auto opened = FleetConnection::open(fleet_test::config(server, "out4", "i1"));
        QVERIFY2(opened.ok(), qPrintable(opened.error().message));  // keeps trying in the background
        auto connection = opened.value();
        std::atomic<int> connected{0};
        connection->addListener([&connected](ConnectionEvent event) {
            connected += event == ConnectionEvent::Connected ? 1 : 0;
        });
        QVERIFY(!connection->isConnected());
        NatsIdempotencyLedger ledger(connection);
        QCOMPARE(ledger.claim("early", "h").kind, ClaimResult::Kind::Unavailable);

        QVERIFY(server.restart());
        QTRY_COMPARE_WITH_TIMEOUT(connected.load(), 1, 10000);
        QVERIFY(connection->isConnected());
        QCOMPARE(ledger.claim("early", "h").kind, ClaimResult::Kind::Claimed);  // the bucket is made now
    }

    void aListOfServersConnectsToOneThatAnswers() {
        NatsTestServer gone;
        QVERIFY2(gone.running(), gone.log().constData());
        const QString deadUrl = gone.url();
        gone.stop();
        NatsTestServer live;
        QVERIFY2(live.running(), live.log().constData());
        FleetConfig config = fleet_test::config(live, "out5", "i1");
        config.urls = {deadUrl, live.url()};
        auto connection = fleet_test::open(config);
        QVERIFY(connection && fleet_test::waitConnected(*connection));
        NatsIdempotencyLedger ledger(connection);
        QCOMPARE(ledger.claim("k", "h").kind, ClaimResult::Kind::Claimed);
    }

    void aHungServerBoundsEveryCallAndReconciliationReleasesWhatMayHaveLanded() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto connection = connect(server, "out2", "i1");
        QVERIFY(connection);
        Events events;
        events.listen(*connection);
        NatsIdempotencyLedger ledger(connection);
        QCOMPARE(ledger.claim("warm", "h").kind, ClaimResult::Kind::Claimed);

        QVERIFY(server.pause());  // SIGSTOP: the socket stays open, nothing answers
        QElapsedTimer elapsed;
        elapsed.start();
        const ClaimResult hung = ledger.claim("hung", "h");
        const qint64 hungMs = elapsed.elapsed();
        QCOMPARE(hung.kind, ClaimResult::Kind::Unavailable);
        QVERIFY(hung.error.isOutage());
        // One 1 s timeout for the write, at most one more for the re-read, never more.
        QVERIFY2(hungMs < 3000, qPrintable(QString::number(hungMs)));
        // The pings notice the silence and the connection drops; from then on calls fail at once.
        QTRY_VERIFY_WITH_TIMEOUT(events.disconnected.load() >= 1, 10000);
        elapsed.start();
        QCOMPARE(ledger.claim("hung-2", "h").kind, ClaimResult::Kind::Unavailable);
        QVERIFY2(elapsed.elapsed() < 250, qPrintable(QString::number(elapsed.elapsed())));

        server.resume();
        QTRY_VERIFY_WITH_TIMEOUT(connection->isConnected(), 15000);
        // The timed-out claim may or may not have landed. Restart reconciliation settles it either
        // way: this instance never decided it, so whatever of it exists is released.
        auto mine = ledger.unsettled("i1");
        QVERIFY2(mine.ok(), qPrintable(mine.error().message));
        for (const LedgerEntry& entry : mine.value()) {
            QCOMPARE(ledger.release(LedgerClaim::from(entry)).kind, LedgerWriteResult::Kind::Written);
        }
        QCOMPARE(ledger.claim("hung", "h").kind, ClaimResult::Kind::Claimed);
        qInfo("hung claim answered after %lld ms; %zu unsettled claim(s) released",
              static_cast<long long>(hungMs), mine.value().size());
    }

    void watchersResponderAndHeartbeatsComeBackAfterARestart() {
        NatsTestServer server;
        QVERIFY2(server.running(), server.log().constData());
        auto instance = connect(server, "out3", "i1");
        auto console = connect(server, "out3", {});
        QVERIFY(instance && console);
        auto io = std::make_shared<FleetIoThread>(QStringLiteral("io-i1"));
        ControlWatcher watcher(instance);
        QSignalSpy changed(&watcher, &ControlWatcher::changed);
        QSignalSpy synced(&watcher, &ControlWatcher::synced);
        watcher.start();
        QVERIFY(synced.wait(10000));
        ControlResponder responder(instance, io);
        QVERIFY(responder
                    .start([](const FleetRequest& request, FleetReply reply) {
                        reply.send({200, {}, "ok " + request.data});
                    })
                    .ok());
        FleetMembership membership(instance, io, FleetMembership::Options{3000ms, 200ms});
        QSignalSpy failed(&membership, &FleetMembership::heartbeatFailed);
        QSignalSpy restored(&membership, &FleetMembership::heartbeatRestored);
        membership.start();
        ControlWriter writer(console);
        QVERIFY(writer.put("policy.version", "v1").ok());
        QVERIFY(changed.wait(5000));

        server.stop();
        QVERIFY(failed.wait(5000));
        QVERIFY(server.restart());
        QVERIFY(restored.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(console->isConnected(), 10000);

        changed.clear();
        QVERIFY(writer.put("policy.version", "v2").ok());
        QTRY_COMPARE_WITH_TIMEOUT(watcher.current().count("policy.version") == 1
                                      ? watcher.current().at("policy.version").value
                                      : QByteArray(),
                                  QByteArray("v2"), 10000);
        FleetCommander commander(console);
        FleetIoThread consoleIo(QStringLiteral("io-console"));
        auto sent = consoleIo.submit([&] { return commander.sendTo("i1", "ping", kTrace, 2000ms); });
        QVERIFY(sent);
        QVERIFY(QTest::qWaitFor([&] { return sent->wait_for(0s) == std::future_status::ready; }, 10000));
        const CommandAnswer answer = sent->get();
        QVERIFY2(answer.applied(), qPrintable(answer.reason));
        QCOMPARE(answer.body, QByteArray("ok ping"));
    }
};

QTEST_GUILESS_MAIN(TestFleetOutage)
#include "tst_fleet_outage.moc"
