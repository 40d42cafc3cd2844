// The engine on its worker thread: commands in, snapshots out (DESIGN.md §3).
#include "base/virtual_clock.h"
#include "engine/command_parser.h"
#include "engine/engine.h"
#include "trace/kept_trace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
const QByteArray kPayment =
    R"({"customer_id":"cust_1","merchant_id":"merc_1","amount":"10.00","currency":"USD"})";

// A payment from its own customer, so that velocity never enters the picture.
QByteArray paymentFrom(int customer) {
    return QByteArray(R"({"customer_id":"cust_)") + QByteArray::number(customer) +
           R"(","merchant_id":"merc_1","amount":"10.00","currency":"USD"})";
}

template <typename T>
T resultOf(QFuture<T> future) {
    future.waitForFinished();
    return future.result();
}
}  // namespace

class TestEngine : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<VirtualClock> clock;
    std::unique_ptr<Engine> engine;

    void advance(Duration d) {
        engine->invoke([this, d] { clock->advanceBy(d); }).waitForFinished();
    }

private Q_SLOTS:
    void init() {
        clock = std::make_unique<VirtualClock>(TimePoint{std::chrono::seconds(1'767'225'600)});
        engine = std::make_unique<Engine>(EngineConfig{}, *clock);
        engine->start();
    }
    void cleanup() {
        engine.reset();
        clock.reset();
    }

    void publishesAFirstSnapshotOnStart() {
        const SnapshotPtr s = engine->latestSnapshot();
        QVERIFY(s);
        QStringList names;
        for (const auto& b : s->breakers) {
            names << b.status.name;
        }
        QCOMPARE(names, (QStringList{"payment-gateway", "deploy:us-west-2", "deploy:us-east-1",
                                     "deploy:eu-west-1", "deploy:global"}));
        QCOMPARE(s->policyVersion, QStringLiteral("builtin-default"));
    }

    void publishesAtTenHertz() {
        QSignalSpy spy(engine.get(), &Engine::snapshotReady);
        advance(1s);
        QTRY_COMPARE(spy.count(), 10);
        const auto last = spy.last().at(0).value<SnapshotPtr>();
        QCOMPARE(last->at, clock->now());
    }

    void submitsAPaymentAndAnswersOnAFuture() {
        const PaymentResponse r = resultOf(engine->submitPayment(kPayment));
        QCOMPARE(toString(r.outcome), QStringLiteral("charged"));
        QVERIFY(!r.id.isEmpty());
        const PaymentResponse bad = resultOf(engine->submitPayment(R"({"customer_id":"c"})"));
        QCOMPARE(toString(bad.outcome), QStringLiteral("invalid"));
        QCOMPARE(bad.error, QStringLiteral("merchant_id: required"));
    }

    void forceHalfOpenShowsInTheNextSnapshot() {
        QSignalSpy spy(engine.get(), &Engine::snapshotReady);
        const CommandResult result =
            resultOf(engine->execute(ControlBreaker{QStringLiteral("payment-gateway"),
                                                    BreakerControl::ForceHalfOpen,
                                                    {QStringLiteral("ana"), QStringLiteral("drill")}}));
        QVERIFY(result.ok());
        advance(0us);  // the extra snapshot after a transition is due now
        QTRY_VERIFY(spy.count() >= 1);
        const auto s = spy.last().at(0).value<SnapshotPtr>();
        QCOMPARE(toString(s->breakers[0].status.state), QStringLiteral("half_open"));
        QVERIFY(s->breakers[0].status.forced);
        QVERIFY(s->timeline.back().text.contains(QStringLiteral("ana")));
    }

    void transitionsCoalesceToOneExtraSnapshot() {
        QSignalSpy spy(engine.get(), &Engine::snapshotReady);
        engine->invoke([this] {}).waitForFinished();
        for (auto control :
             {BreakerControl::ForceOpen, BreakerControl::ForceClosed, BreakerControl::Release}) {
            resultOf(engine->execute(ControlBreaker{QStringLiteral("payment-gateway"), control, {}}));
        }
        advance(0us);
        QTRY_COMPARE(spy.count(), 1);
    }

    void anOutageOpensTheBreakerAndItsTimerMovesItWithNoTraffic() {
        GatewayFault outage;
        outage.down = true;
        QVERIFY(resultOf(engine->execute(SetGatewayFault{outage, {}})).ok());
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(toString(resultOf(engine->submitPayment(paymentFrom(i))).outcome),
                     QStringLiteral("gateway_error"));
        }
        QCOMPARE(toString(resultOf(engine->submitPayment(paymentFrom(5))).outcome),
                 QStringLiteral("circuit_open"));
        advance(30s);
        const auto s = engine->latestSnapshot();
        QCOMPARE(toString(s->breakers[0].status.state), QStringLiteral("half_open"));
        QCOMPARE(s->gatewayFault.down, true);
        QStringList kinds;
        for (const auto& e : s->timeline) {
            kinds << e.kind;
        }
        QCOMPARE(kinds.count(QStringLiteral("breaker_transition")), 2);
        QCOMPARE(kinds.count(QStringLiteral("operator")), 1);
    }

    void badCommandsAreRefusedWithTheirCodeAndField() {
        const CommandResult unknown =
            resultOf(engine->execute(ControlBreaker{QStringLiteral("nope"), BreakerControl::ForceOpen, {}}));
        QVERIFY(unknown.refusal);
        QCOMPARE(static_cast<int>(unknown.refusal->code), static_cast<int>(RefusalCode::NotFound));
        QCOMPARE(unknown.refusal->field, QStringLiteral("breaker"));
        QCOMPARE(unknown.error(), QStringLiteral("breaker: unknown breaker 'nope'"));
        // Out-of-range values never reach the engine: the command language's parser refuses them.
        const CommandParse parsed = parseCommand(QJsonObject{{"do", "gateway.fault"}, {"error_rate", 2}});
        QVERIFY(std::holds_alternative<std::vector<CommandError>>(parsed));
        QCOMPARE(std::get<std::vector<CommandError>>(parsed).front().text(),
                 QStringLiteral("error_rate: must be a number from 0 to 1"));
    }

    void generatedLoadFlowsAndCountersReconcile() {
        QVERIFY(resultOf(engine->execute(SetLoad{1000, 0.01, 500, {}})).ok());
        for (int i = 0; i < 70; ++i) {
            advance(100ms);
        }
        const auto s = engine->latestSnapshot();
        const auto& t = s->kpis.totals;
        QVERIFY2(s->kpis.received >= 6900 && s->kpis.received <= 7000,
                 qPrintable(QString::number(s->kpis.received)));
        std::uint64_t sum = 0;
        for (const auto n : t) {
            sum += n;
        }
        QCOMPARE(sum, s->kpis.received);
        QVERIFY(s->kpis.successRate.enoughData);
        QCOMPARE(s->kpis.successRate.value, 1.0);
        QVERIFY(s->kpis.rejectRate.value > 0 && s->kpis.rejectRate.value < 0.03);
        QVERIFY2(s->kpis.throughputPerS >= 990 && s->kpis.throughputPerS <= 1010,
                 qPrintable(QString::number(s->kpis.throughputPerS)));
        QVERIFY(s->history.size() >= 6);
        // Confirmation workers drain asynchronously; snapshots only move with the virtual clock.
        QVERIFY(resultOf(engine->execute(SetLoad{0, 0, 1, {}})).ok());
        const auto unconfirmed = [this] {
            advance(100ms);
            const auto latest = engine->latestSnapshot();
            return latest->kpis.totals[static_cast<std::size_t>(PaymentOutcome::Charged)] -
                   latest->kpis.confirmed;
        };
        QTRY_COMPARE(unconfirmed(), 0u);
    }

    void deploymentsAreCommandsAndShowInSnapshots() {
        const CommandResult accepted = resultOf(
            engine->execute(RequestDeployment{QJsonObject{{"service", "api-service"},
                                                          {"version", "v2.0.0"},
                                                          {"regions", QJsonArray{"us-west-2", "us-east-1"}}},
                                              {"ana", {}}}));
        QVERIFY2(accepted.ok(), qPrintable(accepted.error()));
        QCOMPARE(accepted.id, QStringLiteral("d-1"));
        const CommandResult rejected = resultOf(engine->execute(
            RequestDeployment{QJsonObject{{"service", "api-service"}, {"version", "latest"}}, {}}));
        QVERIFY(!rejected.ok());
        QCOMPARE(QStringList(rejected.reasons.begin(), rejected.reasons.end()),
                 (QStringList{"image_missing", "rollout_in_progress"}));
        const CommandResult invalid =
            resultOf(engine->execute(RequestDeployment{QJsonObject{{"version", "v1"}}, {}}));
        QCOMPARE(invalid.error(), QStringLiteral("service: required"));
        advance(100ms);
        auto s = engine->latestSnapshot();
        QCOMPARE(s->rollouts.size(), std::size_t{1});
        QCOMPARE(s->rollouts[0].regions[0].stage, QStringLiteral("canary"));
        QCOMPARE(s->rollouts[0].requestedBy, QStringLiteral("ana"));
        QCOMPARE(s->rollouts[0].regions[1].stage, QStringLiteral("pending"));

        // A bad canary: the rollback raises a CRITICAL event alert and the light goes RED.
        QVERIFY(resultOf(engine->execute(SetInfraFault{
                             InfraFault{"us-west-2", "v2.0.0", 0.2, {}, {}, {}, {}}, 30, false, {}}))
                    .ok());
        advance(10s);
        s = engine->latestSnapshot();
        QCOMPARE(toString(s->rollouts[0].status), QStringLiteral("rolled_back"));
        QCOMPARE(toString(s->light), QStringLiteral("RED"));
        QVERIFY(s->lightReason.contains("rollback of d-1 in us-west-2"));
        // The rollback is done, so the alert offers no control; it names the region it is about.
        QCOMPARE(s->alerts[0].rule, QStringLiteral("rollback_triggered"));
        QCOMPARE(s->alerts[0].control, QString());
        QCOMPARE(s->alerts[0].region, QStringLiteral("us-west-2"));
        QCOMPARE(s->alerts[0].system, QStringLiteral("deployments"));
        QCOMPARE(s->infraFaults.size(), std::size_t{1});
        advance(21s);  // for_s = 30 has passed
        QCOMPARE(engine->latestSnapshot()->infraFaults.size(), std::size_t{0});
        QVERIFY(!resultOf(engine->execute(ControlRollout{"d-9", RolloutControl::Pause, {}, {}})).ok());
        QVERIFY(resultOf(engine->execute(ControlRollout{"d-1", RolloutControl::Retry, {}, {"ana", "fixed"}}))
                    .ok());
    }

    // §5.3: each deployment action is traced, in a trace per deployment, beside payment traces.
    void everyDeploymentActionIsASpanOfTheDeploymentsTrace() {
        QVERIFY(resultOf(engine->execute(SetInfraFault{
                             InfraFault{"us-west-2", "v2.0.0", 0.2, {}, {}, {}, {}}, {}, false, {}}))
                    .ok());
        QVERIFY(resultOf(engine->execute(RequestDeployment{
                             QJsonObject{{"service", "api-service"}, {"version", "v2.0.0"}}, {"ana", {}}}))
                    .ok());
        advance(11s);  // the canary's first health sample rolls it back
        TraceQuery q;
        q.tags = {{"deployment", "d-1"}};
        const auto found = resultOf(engine->findTraces(q));
        QCOMPARE(found.size(), std::size_t{1});
        const auto& trace = *found.front();
        QCOMPARE(trace.system(), QStringLiteral("deployments"));
        QCOMPARE(trace.tag(u"outcome"), QStringLiteral("rolled_back"));
        const std::vector<Span> spans = trace.spans();
        QStringList names;
        for (const Span& span : spans) {
            names << span.name;
        }
        QCOMPARE(names, (QStringList{"deploy api-service v2.0.0", "apply_config", "roll_pods",
                                     "shift_traffic", "rollback"}));
        const auto attribute = [](const Span& span, const QString& key) {
            for (const SpanAttribute& a : span.attributes) {
                if (a.key == key) {
                    return attributeText(a.value);
                }
            }
            return QString();
        };
        for (std::size_t i = 1; i < spans.size(); ++i) {
            QCOMPARE(spans[i].parentId, spans[0].spanId);
            QCOMPARE(attribute(spans[i], "tai.deployment.region"), QStringLiteral("us-west-2"));
        }
        QCOMPARE(attribute(spans[1], "tai.deployment.stage"), QStringLiteral("canary"));
        QCOMPARE(attribute(spans[1], "tai.deployment.outcome"), QStringLiteral("ok"));
        QCOMPARE(attribute(spans[4], "tai.deployment.stage"), QStringLiteral("rolled_back"));
        QVERIFY(attribute(spans[4], "tai.deployment.reason").contains("error rate"));
        QVERIFY(spans[0].error);  // the rollout did not complete
        // The same trace id for the same deployment as its actions come in.
        TraceQuery byId;
        byId.traceId = trace.traceId();
        QCOMPARE(resultOf(engine->findTraces(byId)).size(), std::size_t{1});
    }

    void aRestartBringsRolloutsBackInterruptedAndKeepsKeys() {
        QTemporaryDir dir;
        EngineConfig config;
        config.auditDatabase = dir.filePath("audit.sqlite");
        QString receipt;
        {
            VirtualClock c(TimePoint{std::chrono::seconds(1'767'225'600)});
            Engine first(config, c);
            QVERIFY2(first.start(), qPrintable(first.startError()));
            QVERIFY(resultOf(first.execute(RequestDeployment{
                                 QJsonObject{{"service", "web-frontend"}, {"version", "v3.1.0"}}, {}}))
                        .ok());
            first.invoke([&c] { c.advanceBy(400s); }).waitForFinished();  // us-west-2 in staging
            const PaymentResponse paid = resultOf(first.submitPayment(
                R"({"customer_id":"c","merchant_id":"m","amount":"1.00","currency":"USD","idempotency_key":"restart-1"})"));
            QCOMPARE(toString(paid.outcome), QStringLiteral("charged"));  // released after its commit
            receipt = paid.receiptId;
        }  // the engine stops; everything committed stays
        VirtualClock c(TimePoint{std::chrono::seconds(1'767'226'600)});
        Engine second(config, c);
        QVERIFY2(second.start(), qPrintable(second.startError()));
        auto s = second.latestSnapshot();
        QCOMPARE(s->rollouts.size(), std::size_t{1});
        QCOMPARE(toString(s->rollouts[0].status), QStringLiteral("interrupted"));
        QCOMPARE(s->rollouts[0].regions[0].stage, QStringLiteral("staging"));
        QVERIFY(std::any_of(s->timeline.begin(), s->timeline.end(), [](const TimelineEvent& e) {
            return e.text.contains("1 idempotency keys restored, 1 rollouts interrupted") &&
                   e.text.contains("start fresh");
        }));
        const PaymentResponse again = resultOf(second.submitPayment(
            R"({"customer_id":"c","merchant_id":"m","amount":"1.00","currency":"USD","idempotency_key":"restart-1"})"));
        QCOMPARE(toString(again.outcome), QStringLiteral("duplicate"));
        QCOMPARE(again.receiptId, receipt);
        // Resume restarts the interrupted stage with fresh timers.
        QVERIFY(resultOf(second.execute(
                             ControlRollout{"d-1", RolloutControl::Resume, {}, {"ana", "after restart"}}))
                    .ok());
        second.invoke([&c] { c.advanceBy(100ms); }).waitForFinished();
        s = second.latestSnapshot();
        QCOMPARE(toString(s->rollouts[0].status), QStringLiteral("in_progress"));
        QCOMPARE(s->rollouts[0].regions[0].stage, QStringLiteral("staging"));
        QVERIFY(
            resultOf(second.execute(ControlRollout{"d-1", RolloutControl::Rollback, "us-west-2", {}})).ok());
        second.invoke([&c] { c.advanceBy(100ms); }).waitForFinished();
        QCOMPARE(second.latestSnapshot()->rollouts[0].regions[0].stage, QStringLiteral("rolled_back"));
    }

    // Issue 15 item 8: finished rollouts are still there after a restart, as they ended.
    void aRestartKeepsFinishedRolloutsAsTheyEnded() {
        QTemporaryDir dir;
        EngineConfig config;
        config.auditDatabase = dir.filePath("audit.sqlite");
        const auto deploy = [](Engine& e, const char* service, const char* version = "v3.1.0") {
            return resultOf(
                e.execute(RequestDeployment{QJsonObject{{"service", QString::fromLatin1(service)},
                                                        {"version", QString::fromLatin1(version)}},
                                            {}}));
        };
        {
            VirtualClock c(TimePoint{std::chrono::seconds(1'767'225'600)});
            Engine first(config, c);
            QVERIFY2(first.start(), qPrintable(first.startError()));
            QCOMPARE(deploy(first, "payments-service").id, QStringLiteral("d-1"));
            first.invoke([&c] { c.advanceBy(3000s); }).waitForFinished();  // every region done
            QCOMPARE(deploy(first, "api-service").id, QStringLiteral("d-2"));
            first.invoke([&c] { c.advanceBy(20s); }).waitForFinished();
            QVERIFY(resultOf(first.execute(ControlRollout{"d-2", RolloutControl::Abort, {}, {}})).ok());
            QVERIFY(resultOf(first.execute(SetInfraFault{
                                 InfraFault{"us-west-2", {}, {}, {}, 1.0, {}, {}}, std::nullopt, false, {}}))
                        .ok());
            QCOMPARE(deploy(first, "web-frontend").id, QStringLiteral("d-3"));
            first.invoke([&c] { c.advanceBy(20s); }).waitForFinished();
            first.invoke([] {}).waitForFinished();
        }
        VirtualClock c(TimePoint{std::chrono::seconds(1'767'230'600)});
        Engine second(config, c);
        QVERIFY2(second.start(), qPrintable(second.startError()));
        auto s = second.latestSnapshot();
        QStringList statuses;
        for (const RolloutView& r : s->rollouts) {
            statuses << r.id + QLatin1Char(' ') + toString(r.status);
        }
        statuses.sort();
        QCOMPARE(statuses, (QStringList{"d-1 completed", "d-2 aborted", "d-3 failed"}));
        QVERIFY(std::any_of(s->timeline.begin(), s->timeline.end(), [](const TimelineEvent& e) {
            return e.text.contains("0 rollouts interrupted");
        }));
        // A new deployment does not take a saved one's id, and the aborted one can be retried.
        QCOMPARE(deploy(second, "payments-service", "v3.2.0").id, QStringLiteral("d-4"));
        QVERIFY(resultOf(second.execute(ControlRollout{"d-2", RolloutControl::Retry, {}, {}})).ok());
        second.invoke([&c] { c.advanceBy(1s); }).waitForFinished();
        s = second.latestSnapshot();
        const auto d2 = std::find_if(s->rollouts.begin(), s->rollouts.end(),
                                     [](const RolloutView& r) { return r.id == u"d-2"; });
        QCOMPARE(toString(d2->status), QStringLiteral("in_progress"));
        QCOMPARE(d2->regions[0].stage, QStringLiteral("canary"));
    }

    void anUnopenableDatabaseStopsTheStart() {
        EngineConfig config;
        config.auditDatabase = QStringLiteral("/proc/no/such/dir/audit.sqlite");
        VirtualClock c;
        Engine broken(config, c);
        QVERIFY(!broken.start());
        QVERIFY(broken.startError().startsWith("audit database: cannot open"));
    }

    void ratesSayNotEnoughDataBelowTheMinimum() {
        for (int i = 0; i < 5; ++i) {
            resultOf(engine->submitPayment(paymentFrom(i)));
        }
        advance(100ms);
        const auto s = engine->latestSnapshot();
        QCOMPARE(s->kpis.successRate.samples, 5u);
        QVERIFY(!s->kpis.successRate.enoughData);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
