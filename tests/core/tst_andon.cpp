// The Andon alert lifecycle of DESIGN.md §11: inactive → pending → firing → resolved, the `for`
// duration, acknowledgement, silences, event alerts, and the light they set. The board runs on
// times handed to it; the engine-level cases drive a VirtualClock.
#include "andon/andon_board.h"
#include "andon/andon_evaluator.h"
#include "base/virtual_clock.h"
#include "engine/engine.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
const TimePoint t0{std::chrono::seconds(1'767'225'600)};

ActiveAlert condition(const QString& rule, Severity severity,
                      const QString& subject = QStringLiteral("payments")) {
    ActiveAlert a;
    a.rule = rule;
    a.severity = severity;
    a.subject = subject;
    a.message = rule + QStringLiteral(" holds");
    return a;
}

AndonConfig config() {
    return AndonConfig{};  // the §11 defaults: fraud 30 s, breaker 0 s, p99/error/success 30 s
}

QStringList kinds(const std::vector<AlertTransition>& ts) {
    QStringList out;
    for (const auto& t : ts) {
        out << (t.kind == AlertTransition::Kind::Firing ? "firing " : "resolved ") + t.alert.key;
    }
    return out;
}

template <typename T>
T resultOf(QFuture<T> future) {
    future.waitForFinished();
    return future.result();
}
}  // namespace

class TestAndon : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pendingUntilTheForDurationThenFiring_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("forS");
        QTest::addColumn<int>("light");
        QTest::newRow("fraud_rate, 30 s, RED") << "fraud_rate" << 30 << int(AndonLight::Red);
        QTest::newRow("breaker_open, 0 s, RED") << "breaker_open" << 0 << int(AndonLight::Red);
        QTest::newRow("p99_latency_ms, 30 s, YELLOW") << "p99_latency_ms" << 30 << int(AndonLight::Yellow);
        QTest::newRow("error_rate, 30 s, YELLOW") << "error_rate" << 30 << int(AndonLight::Yellow);
        QTest::newRow("success_rate, 30 s, YELLOW") << "success_rate" << 30 << int(AndonLight::Yellow);
    }
    void pendingUntilTheForDurationThenFiring() {
        QFETCH(QString, rule);
        QFETCH(int, forS);
        QFETCH(int, light);
        AndonBoard board(config());
        const Severity severity = light == int(AndonLight::Red) ? Severity::Critical : Severity::High;
        const std::vector<ActiveAlert> holds{condition(rule, severity)};
        const QString key = rule + "/payments";

        auto changes = board.update(holds, t0);
        if (forS == 0) {
            QCOMPARE(kinds(changes), QStringList{"firing " + key});
            QCOMPARE(int(board.light(t0)), light);
            return;
        }
        QVERIFY(changes.empty());
        QCOMPARE(board.active(t0).size(), std::size_t{1});
        QCOMPARE(toString(board.active(t0).front().state), toString(AlertState::Pending));
        QCOMPARE(toString(board.light(t0)), toString(AndonLight::Green));  // pending never lights anything

        QVERIFY(board.update(holds, t0 + std::chrono::seconds(forS) - 100ms).empty());
        changes = board.update(holds, t0 + std::chrono::seconds(forS));
        QCOMPARE(kinds(changes), QStringList{"firing " + key});
        QCOMPARE(toString(board.active(t0).front().state), toString(AlertState::Firing));
        QCOMPARE(board.active(t0).front().firingAtMs, toEpochMs(t0) + forS * 1000);
        QCOMPARE(int(board.light(t0 + std::chrono::seconds(forS))), light);
        QVERIFY(board.update(holds, t0 + std::chrono::seconds(forS + 5)).empty());  // fires once
    }

    void aConditionThatClearsWhilePendingNeverFires() {
        AndonBoard board(config());
        const std::vector<ActiveAlert> holds{condition("error_rate", Severity::High)};
        board.update(holds, t0);
        QVERIFY(board.update({}, t0 + 20s).empty());  // gone, and nobody is told
        QVERIFY(board.active(t0 + 20s).empty());
        QVERIFY(board.history().empty());
        // Holding again starts the `for` from scratch.
        board.update(holds, t0 + 25s);
        QVERIFY(board.update(holds, t0 + 50s).empty());
        QCOMPARE(kinds(board.update(holds, t0 + 55s)), QStringList{"firing error_rate/payments"});
    }

    void resolvedWhenTheConditionClears() {
        AndonBoard board(config());
        const std::vector<ActiveAlert> holds{
            condition("breaker_open", Severity::Critical, "payment-gateway")};
        board.update(holds, t0);
        QCOMPARE(toString(board.light(t0)), toString(AndonLight::Red));
        const auto changes = board.update({}, t0 + 90s);
        QCOMPARE(kinds(changes), QStringList{"resolved breaker_open/payment-gateway"});
        QCOMPARE(toString(board.light(t0 + 90s)), toString(AndonLight::Green));
        QCOMPARE(board.history().size(), std::size_t{1});
        QCOMPARE(toString(board.history().front().state), toString(AlertState::Resolved));
        QCOMPARE(board.history().front().resolvedAtMs, toEpochMs(t0 + 90s));
        QVERIFY(board.active(t0 + 90s).empty());
    }

    void acknowledgeRecordsWhoAndWhyButKeepsTheLight() {
        AndonBoard board(config());
        board.update({condition("breaker_open", Severity::Critical, "payment-gateway")}, t0);
        QVERIFY(
            !board.acknowledge("breaker_open/payment-gateway", "alice", "looking at the gateway", t0 + 5s));
        const ActiveAlert a = board.active(t0 + 5s).front();
        QVERIFY(a.acknowledged);
        QCOMPARE(a.ackBy, QStringLiteral("alice"));
        QCOMPARE(a.ackNote, QStringLiteral("looking at the gateway"));
        QCOMPARE(toString(board.light(t0 + 5s)), toString(AndonLight::Red));  // acknowledged is not fixed
        const auto refused = board.acknowledge("breaker_open/nope", "alice", "", t0);
        QVERIFY(refused);
        QVERIFY(refused->text().contains("breaker_open/nope"));
    }

    void silenceTakesAnAlertOffTheLightForItsDuration() {
        AndonBoard board(config());
        const std::vector<ActiveAlert> holds{condition("breaker_open", Severity::Critical, "payment-gateway"),
                                             condition("error_rate", Severity::High, "payment-gateway")};
        board.update(holds, t0);
        board.update(holds, t0 + 30s);
        QCOMPARE(toString(board.light(t0 + 30s)), toString(AndonLight::Red));
        QVERIFY(
            !board.silence("breaker_open/payment-gateway", 10min, "bob", "planned gateway work", t0 + 30s));
        QString reason;
        QCOMPARE(toString(board.light(t0 + 31s, &reason)),
                 toString(AndonLight::Yellow));  // the error rate is left
        QVERIFY(reason.contains("error_rate"));
        const ActiveAlert silenced = board.active(t0 + 31s).front();
        QVERIFY(silenced.silencedAt(toEpochMs(t0 + 31s)));
        QCOMPARE(silenced.silenceReason, QStringLiteral("planned gateway work"));
        // Resolving while silenced tells nobody.
        const auto changes = board.update({holds[1]}, t0 + 60s);
        QCOMPARE(changes.size(), std::size_t{1});
        QVERIFY(changes.front().silenced);
        // Expired: a new outage lights RED again.
        board.update(holds, t0 + 30s + 10min);
        QCOMPARE(toString(board.light(t0 + 30s + 10min)), toString(AndonLight::Red));
    }

    void aRuleCanBeSilencedAndASilenceLifted() {
        AndonBoard board(config());
        QVERIFY(!board.silence("error_rate/*", 1h, "bob", "noisy during the migration", t0));
        QVERIFY(board.silence("no_such_rule/*", 1h, "bob", "", t0));  // refused: names nothing
        board.update({condition("error_rate", Severity::High, "payment-gateway")}, t0);
        const auto changes =
            board.update({condition("error_rate", Severity::High, "payment-gateway")}, t0 + 30s);
        QCOMPARE(changes.size(), std::size_t{1});
        QVERIFY(changes.front().silenced);  // fires, but nobody is told
        QCOMPARE(toString(board.light(t0 + 30s)), toString(AndonLight::Green));
        QVERIFY(!board.silence("error_rate/*", 0s, "bob", "migration done", t0 + 40s));
        QCOMPARE(toString(board.light(t0 + 40s)), toString(AndonLight::Yellow));
    }

    void eventAlertsFireOnceAndResolveAfterTheHold() {
        AndonBoard board(config());  // event_alert_hold_s 300
        ActiveAlert rollback = condition("rollback_triggered", Severity::Critical, "dep-1");
        rollback.control = "rollback";
        QCOMPARE(kinds(board.raiseEvent(rollback, t0)), QStringList{"firing rollback_triggered/dep-1"});
        QCOMPARE(toString(board.light(t0)), toString(AndonLight::Red));
        QVERIFY(board.update({}, t0 + 299s).empty());  // an event does not need its condition
        QCOMPARE(kinds(board.update({}, t0 + 300s)), QStringList{"resolved rollback_triggered/dep-1"});
        QCOMPARE(toString(board.light(t0 + 300s)), toString(AndonLight::Green));
    }

    void noAlertBelowTheMinimumSampleCount() {
        AndonConfig c = config();
        AndonInputs in;
        // 50 % rejected, but too few samples to mean anything.
        in.measurements = {{"payments", "fraud_rate", "payments", "fraud (reject) rate", 0.50, false},
                           {"payments", "error_rate", "payment-gateway", "gateway error rate", 0.90, false},
                           {"payments", "success_rate", "payments", "success rate", 0.10, false,
                            AndonMeasurement::Unit::Ratio, AndonMeasurement::Bad::Below}};
        AndonBoard board(c);
        for (int s = 0; s <= 120; s += 10) {
            QVERIFY(board.update(evaluateAndon(in, c).alerts, t0 + std::chrono::seconds(s)).empty());
        }
        QVERIFY(board.active(t0 + 120s).empty());
        QCOMPARE(toString(board.light(t0 + 120s)), toString(AndonLight::Green));
        in.measurements.front().known = true;  // the same rate with enough samples does hold
        board.update(evaluateAndon(in, c).alerts, t0 + 130s);
        QCOMPARE(board.active(t0 + 130s).size(), std::size_t{1});
    }

    // The engine on a VirtualClock: an outage fires breaker_open at once, the gateway error rate
    // only after its 30 s `for`; acknowledging and silencing go through commands and the audit.
    void theEngineRunsTheLifecycleOnItsClock() {
        VirtualClock clock(t0);
        EngineConfig cfg;
        cfg.load.paymentsPerSecond = 50;
        cfg.policy.payments.breaker.failureThreshold =
            1000;  // keep calling the gateway: errors, not fast fails
        Engine engine(cfg, clock);
        QVERIFY(engine.start());
        const auto advance = [&](Duration d) {
            for (Duration done{0}; done < d; done += 100ms) {
                engine.invoke([&] { clock.advanceBy(100ms); }).waitForFinished();
            }
        };
        advance(2s);
        GatewayFault errors;
        errors.errorRate = 1.0;
        QVERIFY(resultOf(engine.execute(SetGatewayFault{errors, {}})).ok());
        advance(5s);
        const auto findAlert = [&](const QString& key) -> std::optional<ActiveAlert> {
            for (const ActiveAlert& a : engine.latestSnapshot()->alerts) {
                if (a.key == key) {
                    return a;
                }
            }
            return std::nullopt;
        };
        auto alert = findAlert("error_rate/payment-gateway");
        QVERIFY(alert);
        QCOMPARE(toString(alert->state), toString(AlertState::Pending));
        QCOMPARE(toString(engine.latestSnapshot()->light), toString(AndonLight::Green));
        advance(30s);
        alert = findAlert("error_rate/payment-gateway");
        QVERIFY(alert);
        QCOMPARE(toString(alert->state), toString(AlertState::Firing));
        QVERIFY(engine.latestSnapshot()->light != AndonLight::Green);

        ControlAlert ack{
            "error_rate/payment-gateway", ControlAlert::Action::Acknowledge, 0, {"carol", "on it"}};
        QVERIFY(resultOf(engine.execute(ack)).ok());
        ControlAlert silence{
            "error_rate/payment-gateway", ControlAlert::Action::Silence, 600, {"carol", "known"}};
        QVERIFY(resultOf(engine.execute(silence)).ok());
        advance(1s);
        alert = findAlert("error_rate/payment-gateway");
        QVERIFY(alert && alert->acknowledged && alert->ackNote == "on it");
        QVERIFY(alert->silencedAt(toEpochMs(clock.now())));
        ControlAlert unknown{"error_rate/elsewhere", ControlAlert::Action::Acknowledge, 0, {}};
        const CommandResult refused = resultOf(engine.execute(unknown));
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().contains("error_rate/elsewhere"));

        QVERIFY(resultOf(engine.execute(SetGatewayFault{GatewayFault{}, {}})).ok());
        advance(65s);  // the 60 s window forgets the errors
        QVERIFY(!findAlert("error_rate/payment-gateway"));
        const auto& history = engine.latestSnapshot()->alertHistory;
        QVERIFY(!history.empty());
        QCOMPARE(history.front().key, QStringLiteral("error_rate/payment-gateway"));
        bool onTimeline = false;
        for (const TimelineEvent& e : engine.latestSnapshot()->timeline) {
            onTimeline =
                onTimeline || (e.kind == "operator" && e.text.contains("acknowledged by carol: on it"));
        }
        QVERIFY(onTimeline);
    }
};

QTEST_GUILESS_MAIN(TestAndon)
#include "tst_andon.moc"
