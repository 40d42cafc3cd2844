// The asynchronous health seam of InfraDriver (issue 15), on the VirtualClock: a measurement that
// answers later, as a real provider's does, is judged when it arrives; one that answers after the
// rollout halted, or that could not be taken, never rolls anything back.
#include "base/virtual_clock.h"
#include "deployments/deployment_orchestrator.h"
#include "deployments/infra_simulator.h"

#include <QtTest>

#include <map>

using namespace tai;
using namespace std::chrono_literals;

namespace {
const TimePoint kStart{std::chrono::seconds(1'767'225'600)};

// The simulator with health measurements held until the test answers them.
class DeferredHealth final : public InfraDriver {
public:
    explicit DeferredHealth(InfraSimulator& simulator) : simulator_(simulator) {}

    bool imageExists(const QString& s, const QString& v) const override {
        return simulator_.imageExists(s, v);
    }
    bool hasCapacity(const QString& s, const QString& r, TimePoint now) const override {
        return simulator_.hasCapacity(s, r, now);
    }
    std::optional<QString> stableVersion(const QString& s, const QString& r) const override {
        return simulator_.stableVersion(s, r);
    }
    HealthSample stableHealth(const QString& s, const QString& r, TimePoint now) const override {
        return simulator_.stableHealth(s, r, now);
    }
    void setStable(const QString& s, const QString& r, const QString& v) override {
        simulator_.setStable(s, r, v);
    }
    std::uint64_t health(const QString&, const QString&, const QString&, int, std::uint64_t, TimePoint,
                         HealthDone done) override {
        pending_.emplace(next_, std::move(done));
        ++asked;
        return next_++;
    }
    void cancelHealth(std::uint64_t handle) override {
        ++cancelled;
        if (honourCancel) {
            pending_.erase(handle);
        }
    }
    std::uint64_t runAction(DeploymentAction a, const QString& d, const QString& r, int step,
                            ActionDone done) override {
        return simulator_.runAction(a, d, r, step, std::move(done));
    }
    void cancelAction(std::uint64_t handle) override { simulator_.cancelAction(handle); }

    // Answers the oldest measurement still waiting.
    void answer(const HealthSample& sample) {
        QVERIFY(!pending_.empty());
        auto node = pending_.extract(pending_.begin());
        node.mapped()(sample);
    }
    std::size_t pending() const { return pending_.size(); }

    bool honourCancel = true;  // false: a driver that answers anyway, which the rollout must ignore
    int asked = 0;
    int cancelled = 0;

private:
    InfraSimulator& simulator_;
    std::map<std::uint64_t, HealthDone> pending_;
    std::uint64_t next_ = 1;
};

struct Fixture {
    explicit Fixture(OnMarginal onMarginal = OnMarginal::Alert)
        : settings(config(onMarginal)), simulator(7, settings.regions, clock), infra(simulator) {
        DeploymentListener listener;
        listener.alert = [this](Severity, const QString& rule, const QString&, const QString& message,
                                const QString&) {
            alerts << rule + ": " + message;
        };
        orchestrator = std::make_unique<DeploymentOrchestrator>(settings, clock, infra, listener);
    }
    static DeploymentsConfig config(OnMarginal onMarginal) {
        DeploymentsConfig c;
        c.regions = QStringList{"us-west-2", "us-east-1"};
        c.stages = {{"canary", 5, 4}, {"prod", 100, 0}};
        c.healthIntervalS = 3;
        c.onMarginal = onMarginal;
        return c;
    }
    QString deploy() {
        DeploymentSignal s;
        s.service = "api-service";
        s.version = "v2.0.0";
        s.requestedBy = "ci";
        const QString id = orchestrator->request(s).id;
        clock.advanceBy(0s);  // the canary's actions
        return id;
    }
    RolloutView view(const QString& id) const { return *orchestrator->view(id); }
    RegionView region(const QString& id) const { return view(id).regions.at(0); }

    DeploymentsConfig settings;
    VirtualClock clock{kStart};
    InfraSimulator simulator;
    DeferredHealth infra;
    std::unique_ptr<DeploymentOrchestrator> orchestrator;
    QStringList alerts;
};
}  // namespace

class TestRolloutHealth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aMeasurementIsJudgedWhenItsAnswerArrives() {
        Fixture f;
        const QString id = f.deploy();
        f.clock.advanceBy(3s);
        QCOMPARE(f.infra.pending(), std::size_t{1});
        QVERIFY(f.region(id).health.empty());  // asked, not answered
        f.clock.advanceBy(1s);                 // the canary ends while its sample is out
        f.infra.answer(HealthSample{0.2, 120, {}});
        QCOMPARE(toString(f.view(id).status), QStringLiteral("rolled_back"));
        QCOMPARE(toString(f.region(id).health.back().result), QStringLiteral("fail"));
    }

    void aMeasurementThatCouldNotBeTakenIsMarginalNeverAFail() {
        Fixture f;
        const QString id = f.deploy();
        f.clock.advanceBy(3s);
        // Whatever values come with it, an error makes the sample inconclusive.
        f.infra.answer(HealthSample{0.9, 5000, "error_rate: connection refused"});
        QCOMPARE(toString(f.view(id).status), QStringLiteral("in_progress"));
        QCOMPARE(toString(f.region(id).health.back().result), QStringLiteral("marginal"));
        QCOMPARE(f.region(id).note, QStringLiteral("health query failed: error_rate: connection refused"));
        QCOMPARE(f.alerts, QStringList{"health_marginal: health marginal in us-west-2: health query failed: "
                                       "error_rate: connection refused"});
    }

    void aFailedMeasurementUnderOnMarginalPauseWaitsForAHuman() {
        Fixture f(OnMarginal::Pause);
        const QString id = f.deploy();
        f.clock.advanceBy(3s);
        f.infra.answer(HealthSample{0, 0, "p99_ms: no answer within 3000 ms"});
        QCOMPARE(toString(f.view(id).status), QStringLiteral("paused"));
        QCOMPARE(f.region(id).note, QStringLiteral("paused: health marginal (health query failed: p99_ms: no "
                                                   "answer within 3000 ms): promote or roll back"));
        f.clock.advanceBy(60s);
        QCOMPARE(toString(f.view(id).status), QStringLiteral("paused"));
        QCOMPARE(f.region(id).stage, QStringLiteral("canary"));  // a human decides
    }

    void anAnswerAfterTheRolloutHaltedChangesNothing() {
        Fixture f;
        f.infra.honourCancel = false;
        const QString id = f.deploy();
        f.clock.advanceBy(3s);
        QVERIFY(!f.orchestrator->control(id, RolloutControl::Abort, {}, "ops"));
        QCOMPARE(f.infra.cancelled, 1);  // the rollout cancelled the measurement it no longer needs
        f.infra.answer(HealthSample{0.5, 120, {}});  // a driver that answers anyway
        QCOMPARE(toString(f.view(id).status), QStringLiteral("aborted"));
        QVERIFY(f.region(id).health.empty());
        QVERIFY(!f.alerts.join('\n').contains("rollback_triggered"));
    }

    void anAnswerAfterARetryBelongsToTheOldAttempt() {
        Fixture f;
        f.infra.honourCancel = false;
        const QString id = f.deploy();
        f.clock.advanceBy(3s);
        QVERIFY(!f.orchestrator->control(id, RolloutControl::Abort, {}, "ops"));
        QVERIFY(!f.orchestrator->control(id, RolloutControl::Retry, {}, "ops"));
        f.clock.advanceBy(0s);
        f.infra.answer(HealthSample{0.5, 120, {}});  // the aborted attempt's sample
        QCOMPARE(toString(f.view(id).status), QStringLiteral("in_progress"));
        QVERIFY(f.region(id).health.empty());
    }

    void destroyingTheOrchestratorCancelsTheMeasurementInFlight() {
        Fixture f;
        f.deploy();
        f.clock.advanceBy(3s);
        QCOMPARE(f.infra.pending(), std::size_t{1});
        f.orchestrator.reset();
        QCOMPARE(f.infra.pending(), std::size_t{0});
        QCOMPARE(f.infra.cancelled, 1);
    }

    void aLateAnswerAcrossAStageChangeStartsNoSecondSamplingLoop() {
        Fixture f;
        const QString id = f.deploy();
        f.clock.advanceBy(3s);                        // asked at 3 s
        f.clock.advanceBy(1s);                        // prod from 4 s: its first sample is due at 7 s
        f.infra.answer(HealthSample{0.01, 120, {}});  // the canary's answer, late
        QCOMPARE(f.region(id).stage, QStringLiteral("prod"));
        for (int second = 5; second <= 30; ++second) {
            f.clock.advanceBy(1s);
            QVERIFY2(f.infra.pending() <= 1, "two measurements out at once");
            if (f.infra.pending() == 1) {
                f.infra.answer(HealthSample{0.01, 120, {}});
            }
        }
        // One sample every 3 s from 7 s, plus the canary's: no second loop doubled them.
        QCOMPARE(f.infra.asked, 1 + 8);
    }
};

QTEST_GUILESS_MAIN(TestRolloutHealth)
#include "tst_rollout_health.moc"
