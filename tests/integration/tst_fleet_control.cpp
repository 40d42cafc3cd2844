// Operator intent and commands across the fleet, against a real nats-server: the control bucket
// watched by every instance (late joiners converge), commands to one instance and to all with
// gathered answers, and deployment requests that only the controller serves.
#include "fleet_test_support.h"

#include "fleet/control_responder.h"
#include "fleet/control_watcher.h"
#include "fleet/control_writer.h"
#include "fleet/fleet_commander.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_membership.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <future>

using namespace tai::fleet;
using namespace std::chrono_literals;

namespace {

const QByteArray kTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// How a test instance answers commands.
enum class Behaviour { Apply, Refuse, Silent, ApplyLater };

struct Responder {
    std::shared_ptr<FleetConnection> connection;
    std::shared_ptr<FleetIoThread> io;
    std::unique_ptr<ControlResponder> responder;
    std::vector<FleetRequest> seen;
};

template <class T>
std::optional<T> await(std::optional<std::future<T>>& future, int timeoutMs = 10000) {
    if (!future ||
        !QTest::qWaitFor([&] { return future->wait_for(0s) == std::future_status::ready; }, timeoutMs)) {
        return std::nullopt;
    }
    return future->get();
}

}  // namespace

class TestFleetControl : public QObject {
    Q_OBJECT

    std::unique_ptr<NatsTestServer> server_;
    int fleets_ = 0;

    QString freshFleet() { return QStringLiteral("ctl%1").arg(++fleets_); }
    std::shared_ptr<FleetConnection> connect(const QString& fleet, const QString& instance) {
        auto connection = fleet_test::open(fleet_test::config(*server_, fleet, instance));
        return connection && fleet_test::waitConnected(*connection) ? connection : nullptr;
    }
    std::unique_ptr<Responder> responder(const QString& fleet, const QString& id, Behaviour behaviour) {
        auto r = std::make_unique<Responder>();
        r->connection = connect(fleet, id);
        if (!r->connection) {
            return nullptr;
        }
        r->io = std::make_shared<FleetIoThread>(u"io-" + id);
        r->responder = std::make_unique<ControlResponder>(r->connection, r->io);
        Responder* self = r.get();
        const FleetError started =
            r->responder->start([self, id, behaviour](const FleetRequest& request, FleetReply reply) {
                self->seen.push_back(request);
                switch (behaviour) {
                    case Behaviour::Apply:
                        reply.send({200, {}, id.toUtf8() + " applied " + request.data});
                        break;
                    case Behaviour::Refuse:
                        reply.send({409, QStringLiteral("rollout already active"), {}});
                        break;
                    case Behaviour::Silent:
                        break;
                    case Behaviour::ApplyLater:
                        QTimer::singleShot(150, [reply, id] {
                            reply.send({200, {}, id.toUtf8() + " applied later"});
                        });
                        break;
                }
            });
        return started.ok() ? std::move(r) : nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        server_ = std::make_unique<NatsTestServer>();
        QVERIFY2(server_->running(), server_->log().constData());
    }
    void cleanupTestCase() { server_.reset(); }

    void aLateJoinerGetsTheCurrentValuesFirstThenEachChange() {
        const QString fleet = freshFleet();
        auto operatorSide = connect(fleet, "i1");
        auto joiner = connect(fleet, "i2");
        QVERIFY(operatorSide && joiner);
        ControlWriter writer(operatorSide);
        QVERIFY(writer.put("breaker.gateway", R"({"force":"open"})").ok());
        QVERIFY(writer.put("policy.version", "v7").ok());
        auto silence = writer.put("silence.fraud_rate", "1h");
        QVERIFY(silence.ok());
        QVERIFY(writer.remove("silence.fraud_rate", silence.value()).ok());

        ControlWatcher watcher(joiner);
        QSignalSpy synced(&watcher, &ControlWatcher::synced);
        QSignalSpy changed(&watcher, &ControlWatcher::changed);
        watcher.start();
        QVERIFY(synced.wait(10000));
        QVERIFY(watcher.isSynced());
        QCOMPARE(watcher.current().size(), std::size_t{2});
        QCOMPARE(watcher.current().at("policy.version").value, QByteArray("v7"));
        QCOMPARE(changed.size(), 2);  // the deleted silence is not reported to a joiner that never saw it

        QVERIFY(writer.put("policy.version", "v8").ok());
        QVERIFY(changed.wait(5000));
        auto change = changed.last().at(0).value<ControlChange>();
        QCOMPARE(change.key, QString("policy.version"));
        QCOMPARE(change.value, QByteArray("v8"));
        QVERIFY(change.revision > 0);
        QCOMPARE(change.revision, watcher.current().at("policy.version").revision);

        const std::uint64_t breakerRevision = watcher.current().at("breaker.gateway").revision;
        QVERIFY(writer.remove("breaker.gateway", breakerRevision).ok());
        QVERIFY(changed.wait(5000));
        change = changed.last().at(0).value<ControlChange>();
        QCOMPARE(change.key, QString("breaker.gateway"));
        QVERIFY(change.deleted);
        QCOMPARE(watcher.current().count("breaker.gateway"), std::size_t{0});
        // A stale writer loses: the operator acted on what it saw, and it moved on.
        QCOMPARE(writer.update("policy.version", "v9", change.revision - 5).error().kind,
                 FleetError::Kind::Conflict);
    }

    void aCommandToOneInstanceIsAnsweredByThatInstance() {
        const QString fleet = freshFleet();
        auto i1 = responder(fleet, "i1", Behaviour::Apply);
        auto i2 = responder(fleet, "i2", Behaviour::ApplyLater);
        QVERIFY(i1 && i2);
        auto console = fleet_test::open(fleet_test::config(*server_, fleet, {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        FleetCommander commander(console);
        FleetIoThread io(QStringLiteral("io-console"));

        auto now = io.submit([&] { return commander.sendTo("i1", "force-open gateway", kTrace, 2000ms); });
        auto answer = await(now);
        QVERIFY(answer);
        QCOMPARE(answer->outcome, CommandAnswer::Outcome::Answered);
        QCOMPARE(answer->instance, QString("i1"));
        QCOMPARE(answer->status, 200);
        QCOMPARE(answer->body, QByteArray("i1 applied force-open gateway"));
        QCOMPARE(i1->seen.size(), std::size_t{1});
        QCOMPARE(i1->seen[0].target, FleetRequest::Target::Instance);
        QCOMPARE(i1->seen[0].traceparent, kTrace);
        QCOMPARE(i1->seen[0].from, QString("console"));
        QCOMPARE(i2->seen.size(), std::size_t{0});

        auto later = io.submit([&] { return commander.sendTo("i2", "ack alert-3", kTrace, 2000ms); });
        answer = await(later);
        QVERIFY(answer && answer->applied());
        QCOMPARE(answer->body, QByteArray("i2 applied later"));

        auto nobody = io.submit([&] { return commander.sendTo("i9", "x", kTrace, 500ms); });
        answer = await(nobody);
        QVERIFY(answer);
        QCOMPARE(answer->outcome, CommandAnswer::Outcome::Failed);
        QVERIFY(answer->reason.contains("nobody is listening"));
        auto untraced = io.submit([&] { return commander.sendTo("i1", "x", "not-a-traceparent", 500ms); });
        answer = await(untraced);
        QCOMPARE(answer->outcome, CommandAnswer::Outcome::Failed);
        QCOMPARE(i1->seen.size(), std::size_t{1});
    }

    void aBroadcastGathersAnswersAndNamesWhoDidNotApply() {
        const QString fleet = freshFleet();
        auto i1 = responder(fleet, "i1", Behaviour::Apply);
        auto i2 = responder(fleet, "i2", Behaviour::Apply);
        auto i3 = responder(fleet, "i3", Behaviour::Silent);
        auto i4 = responder(fleet, "i4", Behaviour::ApplyLater);
        auto i5 = responder(fleet, "i5", Behaviour::Refuse);
        QVERIFY(i1 && i2 && i3 && i4 && i5);
        auto console = fleet_test::open(fleet_test::config(*server_, fleet, {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        FleetCommander commander(console);
        FleetIoThread io(QStringLiteral("io-console"));

        auto all = io.submit([&] {
            return commander.broadcast("force-open gateway", kTrace, 1500ms, {"i1", "i2", "i3", "i4", "i5"});
        });
        auto result = await(all);
        QVERIFY(result && result->ok());
        QCOMPARE(result->value().summary(),
                 QString("applied on 3 of 5 · i3 no reply · i5 refused (409 rollout already active)"));
        QCOMPARE(result->value().applied(), 3);
        for (const auto* r : {i1.get(), i2.get(), i3.get(), i4.get(), i5.get()}) {
            QCOMPARE(r->seen.size(), std::size_t{1});
            QCOMPARE(r->seen[0].target, FleetRequest::Target::All);
            QCOMPARE(r->seen[0].traceparent, kTrace);
        }

        // When every expected instance has answered, the broadcast does not wait for the deadline.
        QElapsedTimer elapsed;
        elapsed.start();
        auto quick = io.submit([&] {
            return commander.broadcast("ping", kTrace, 8000ms, {"i1", "i2", "i4", "i5"});
        });
        result = await(quick);
        QVERIFY(result && result->ok());
        QVERIFY2(elapsed.elapsed() < 4000, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(result->value().summary(),
                 QString("applied on 3 of 4 · i5 refused (409 rollout already active)"));
    }

    void aBroadcastWithoutAListExpectsTheLiveMembers() {
        const QString fleet = freshFleet();
        auto i1 = responder(fleet, "i1", Behaviour::Apply);
        auto i2 = responder(fleet, "i2", Behaviour::Silent);
        QVERIFY(i1 && i2);
        const FleetMembership::Options membership{10'000ms, 2'000ms};
        FleetMembership m1(i1->connection, i1->io, membership), m2(i2->connection, i2->io, membership);
        m1.start();
        m2.start();
        auto console = fleet_test::open(fleet_test::config(*server_, fleet, {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        QTRY_COMPARE_WITH_TIMEOUT(FleetMembership::liveMembers(*console, membership.ttl).value().size(),
                                  std::size_t{2}, 5000);
        FleetCommander commander(console);
        FleetIoThread io(QStringLiteral("io-console"));
        auto all = io.submit([&] { return commander.broadcast("silence fraud_rate 1h", kTrace, 1000ms); });
        auto result = await(all);
        QVERIFY(result && result->ok());
        QCOMPARE(result->value().summary(), QString("applied on 1 of 2 · i2 no reply"));
    }

    void deploymentRequestsReachOnlyTheController() {
        const QString fleet = freshFleet();
        auto i1 = responder(fleet, "i1", Behaviour::Apply);
        auto i2 = responder(fleet, "i2", Behaviour::Apply);
        QVERIFY(i1 && i2);
        auto console = fleet_test::open(fleet_test::config(*server_, fleet, {}));
        QVERIFY(console && fleet_test::waitConnected(*console));
        FleetCommander commander(console);
        FleetIoThread io(QStringLiteral("io-console"));
        std::vector<QString> servedBy;
        const auto controller = [&servedBy](const QString& id) {
            return [&servedBy, id](const FleetRequest& request, FleetReply reply) {
                QCOMPARE(request.target, FleetRequest::Target::Deploy);
                servedBy.push_back(id);
                reply.send({202, QStringLiteral("accepted"), id.toUtf8()});
            };
        };

        auto none = io.submit([&] { return commander.sendDeployment("deploy api v2", kTrace, 500ms); });
        auto answer = await(none);
        QCOMPARE(answer->outcome, CommandAnswer::Outcome::Failed);

        QVERIFY(i1->responder->serveDeployments(controller("i1")).ok());
        for (int i = 0; i < 3; ++i) {
            auto sent = io.submit([&] { return commander.sendDeployment("deploy api v2", kTrace, 2000ms); });
            answer = await(sent);
            QVERIFY(answer && answer->applied());
            QCOMPARE(answer->instance, QString("i1"));
            QCOMPARE(answer->status, 202);
        }
        // Failover: the old controller stops serving, the new one starts.
        i1->responder->stopServingDeployments();
        QVERIFY(i2->responder->serveDeployments(controller("i2")).ok());
        auto moved = io.submit([&] { return commander.sendDeployment("deploy api v3", kTrace, 2000ms); });
        answer = await(moved);
        QVERIFY(answer && answer->applied());
        QCOMPARE(answer->instance, QString("i2"));
        QCOMPARE(servedBy, std::vector<QString>({"i1", "i1", "i1", "i2"}));
    }
};

QTEST_GUILESS_MAIN(TestFleetControl)
#include "tst_fleet_control.moc"
