// DESIGN.md §5 on the VirtualClock: staged rollout, automatic rollback, alerts, §5.5 controls.
#include "base/virtual_clock.h"
#include "deployments/deployment_orchestrator.h"
#include "deployments/infra_simulator.h"

#include <QJsonDocument>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
const TimePoint kStart{std::chrono::seconds(1'767'225'600)};

// What a control answered: empty when carried out, else the refusal in words.
QString said(const std::optional<Refusal>& refused) {
    return refused ? refused->text() : QString();
}

struct Fixture {
    explicit Fixture(DeploymentsConfig c = {}) : config(std::move(c)), infra(7, config.regions, clock) {
        DeploymentListener listener;
        listener.report = [this](const RolloutReportEvent& e) {
            events << QStringLiteral("%1 %2 %3 %4%5")
                          .arg(seconds(e.at))
                          .arg(e.kind, e.region, e.kind == u"rollback" ? e.reason : e.stage)
                          .arg(e.kind == u"rollout_stage" ? QStringLiteral(" %1%").arg(e.weight) : QString());
        };
        listener.alert = [this](Severity s, const QString& rule, const QString&, const QString& message,
                                const QString&) {
            alerts << QStringLiteral("%1 %2 %3 %4").arg(seconds(clock.now())).arg(toString(s), rule, message);
        };
        orchestrator = std::make_unique<DeploymentOrchestrator>(config, clock, infra, listener);
    }
    int seconds(TimePoint t) const { return static_cast<int>(toSeconds(t - kStart)); }

    DeploymentDecision deploy(const QString& service = QStringLiteral("api-service"),
                              const QString& version = QStringLiteral("v2.0.0"), bool initial = false) {
        DeploymentSignal s;
        s.service = service;
        s.version = version;
        s.initial = initial;
        s.requestedBy = QStringLiteral("ci");
        auto decision = orchestrator->request(s);
        clock.advanceBy(0s);
        return decision;
    }
    // Advances in 1 s steps, checking at every step that no two regions are active.
    void run(Duration d) {
        for (auto t = Duration{0}; t < d; t += 1s) {
            clock.advanceBy(1s);
            for (const RolloutView& v : orchestrator->views()) {
                int active = 0;
                for (const RegionView& r : v.regions) {
                    active += r.stageIndex >= 0 ? 1 : 0;
                }
                QVERIFY2(active <= 1, "two regions active at once");
            }
        }
    }
    RolloutView view(const QString& id) const { return *orchestrator->view(id); }

    DeploymentsConfig config;
    VirtualClock clock{kStart};
    InfraSimulator infra;
    std::unique_ptr<DeploymentOrchestrator> orchestrator;
    QStringList events;
    QStringList alerts;
};
}  // namespace

class TestDeployments : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void followsThePlannedStagesRegionByRegion() {
        Fixture f;
        const auto d = f.deploy();
        QVERIFY(d.accepted);
        f.run(3000s);
        // canary 5 % 300 s → staging 25 % 600 s → prod 100 % → 60 s bake → done; then the next region
        const QStringList expected{
            "0 rollout_stage us-west-2 canary 5%",    "300 rollout_stage us-west-2 staging 25%",
            "900 rollout_stage us-west-2 prod 100%",  "960 rollout_stage us-west-2 done 100%",
            "960 rollout_stage us-east-1 canary 5%",  "1260 rollout_stage us-east-1 staging 25%",
            "1860 rollout_stage us-east-1 prod 100%", "1920 rollout_stage us-east-1 done 100%",
            "1920 rollout_stage eu-west-1 canary 5%", "2220 rollout_stage eu-west-1 staging 25%",
            "2820 rollout_stage eu-west-1 prod 100%", "2880 rollout_stage eu-west-1 done 100%"};
        QCOMPARE(f.events, expected);
        QCOMPARE(toString(f.view(d.id).status), QStringLiteral("completed"));
        QVERIFY(f.alerts.last().contains("GREEN"));
        QCOMPARE(*f.infra.stableVersion("api-service", "eu-west-1"), QStringLiteral("v2.0.0"));
    }

    void eightPercentErrorsRollTheSecondRegionBackWithinOneHealthInterval() {
        Fixture f;
        f.infra.addFault(InfraFault{"us-east-1", "v2.0.0", 0.08, {}, {}, {}, {}});
        const auto d = f.deploy();
        f.run(2000s);
        QVERIFY2(f.events.contains("960 rollout_stage us-east-1 canary 5%"), qPrintable(f.events.join('\n')));
        const auto rollback = f.events.filter("rollback us-east-1");
        QCOMPARE(rollback.size(), 1);
        QVERIFY(rollback[0].startsWith("970 "));  // first sample, 10 s after the canary took traffic
        QVERIFY(rollback[0].contains("error rate 8."));
        QVERIFY(f.events.contains("970 rollout_stage us-east-1 rolled_back 0%"));
        QVERIFY(f.events.contains("970 rollout_stage eu-west-1 cancelled 0%"));
        for (const QString& e : f.events.filter("eu-west-1")) {
            QVERIFY2(e.contains("cancelled"), qPrintable(e));  // the third region is never touched
        }
        const RolloutView v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("rolled_back"));
        QCOMPARE(v.regions[0].stage, QStringLiteral("done"));  // completed regions stay
        QCOMPARE(v.mttrS, 0.0);
        QVERIFY(f.alerts.filter("CRITICAL rollback_triggered").size() == 1);
        QCOMPARE(*f.infra.stableVersion("api-service", "us-east-1"), QStringLiteral("v1.0.0"));
    }

    void threePercentErrorsRaiseAHighMarginalAlertWithoutRollback() {
        Fixture f;
        f.infra.addFault(InfraFault{"us-west-2", {}, 0.03, {}, {}, {}, {}});
        const auto d = f.deploy();
        f.run(1000s);
        // Once for the region, not again at each stage boundary (issue 15 item 10).
        QCOMPARE(f.alerts.filter("HIGH health_marginal").size(), 1);
        // 3 % ± the sampling noise (±0.3 % at 5 % traffic): marginal, never over 5 %
        QVERIFY2(f.alerts[0].startsWith("10 HIGH health_marginal health marginal in us-west-2: error rate "),
                 qPrintable(f.alerts[0]));
        QVERIFY(f.events.filter("rollback").isEmpty());
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("done"));
    }

    void aPausedStageIsSlowAtOneAndAHalfTimesItsPlan() {
        Fixture f;
        const auto d = f.deploy();
        f.run(100s);
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Pause, {}, "investigating")), QString());
        f.run(349s);
        QVERIFY(f.alerts.filter("stage_slow").isEmpty());
        f.run(1s);
        QCOMPARE(f.alerts.filter("stage_slow").size(), 1);
        QVERIFY(f.alerts.filter("stage_slow")[0].startsWith(
            "450 HIGH stage_slow canary slow to progress in us-west-2"));
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("canary"));  // paused: still there
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Resume, {}, {})), QString());
        f.clock.advanceBy(0s);
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("staging"));  // overdue: moves on at once
    }

    void eachSafetyCheckRejectsAndEveryReasonIsListed_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("reasons");
        QTest::newRow("image missing") << "version:latest" << QStringList{"image_missing"};
        QTest::newRow("no capacity") << "capacity:eu-west-1" << QStringList{"insufficient_capacity"};
        QTest::newRow("no rollback plan (and no image)")
            << "service:new-service" << QStringList{"image_missing", "no_rollback_plan"};
        QTest::newRow("unhealthy baseline") << "baseline:us-east-1" << QStringList{"unhealthy_baseline"};
        QTest::newRow("rollout in progress") << "twice" << QStringList{"rollout_in_progress"};
        QTest::newRow("everything at once") << "twice version:latest capacity:eu-west-1 baseline:us-east-1"
                                            << QStringList{"image_missing", "insufficient_capacity",
                                                           "unhealthy_baseline", "rollout_in_progress"};
    }
    void eachSafetyCheckRejectsAndEveryReasonIsListed() {
        QFETCH(QString, setup);
        QFETCH(QStringList, reasons);
        Fixture f;
        QString service = "api-service";
        QString version = "v2.0.0";
        for (const QString& step : setup.split(' ')) {
            const QString arg = step.section(':', 1);
            if (step.startsWith("version:"))
                version = arg;
            if (step.startsWith("service:"))
                service = arg;
            if (step.startsWith("capacity:"))
                f.infra.addFault(InfraFault{arg, {}, {}, {}, {}, 0, {}});
            if (step.startsWith("baseline:"))
                f.infra.addFault(InfraFault{arg, "v1.0.0", 0.09, {}, {}, {}, {}});
            if (step == "twice")
                QVERIFY(f.deploy("api-service", "v1.5.0").accepted);
        }
        const auto d = f.deploy(service, version);
        QVERIFY(!d.accepted);
        QCOMPARE(QStringList(d.reasons.begin(), d.reasons.end()), reasons);
    }

    // A 422 names the field of the first failing check (issue 15 item 10).
    void eachSafetyReasonNamesTheRequestFieldAtFault_data() {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("field");
        QTest::newRow("image_missing") << "image_missing"
                                       << "version";
        QTest::newRow("insufficient_capacity") << "insufficient_capacity"
                                               << "regions";
        QTest::newRow("no_rollback_plan") << "no_rollback_plan"
                                          << "initial";
        QTest::newRow("unhealthy_baseline") << "unhealthy_baseline"
                                            << "regions";
        QTest::newRow("rollout_in_progress") << "rollout_in_progress"
                                             << "service";
    }
    void eachSafetyReasonNamesTheRequestFieldAtFault() {
        QFETCH(QString, reason);
        QFETCH(QString, field);
        QCOMPARE(safetyFieldOf(reason), field);
    }

    void initialDeploymentsNeedNoRollbackPlan() {
        Fixture f;
        const auto d = f.deploy("new-service", "v1.0.0", true);
        QCOMPARE(QStringList(d.reasons.begin(), d.reasons.end()), QStringList{"image_missing"});
    }

    void promoteSkipsTheRestOfTheStage() {
        Fixture f;
        const auto d = f.deploy();
        f.run(20s);
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Promote, {}, {})), QString());
        f.clock.advanceBy(0s);
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("staging"));
        QVERIFY(f.events.contains("20 rollout_stage us-west-2 staging 25%"));
    }

    void promoteFullSkipsAllRemainingStages() {
        Fixture f;
        const auto d = f.deploy();
        f.run(20s);
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::PromoteFull, {}, {})), QString());
        f.clock.advanceBy(0s);
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("prod"));
        QCOMPARE(f.view(d.id).regions[0].weight, 100);
        f.run(60s);  // the bake time still applies before the next region
        QVERIFY(f.events.contains("80 rollout_stage us-west-2 done 100%"));
        QVERIFY(f.events.contains("80 rollout_stage us-east-1 canary 5%"));
    }

    // §5.3: the bake at 100 % is not a stage; promote cannot cut it short, paused or not.
    void promoteCannotEndTheBake_data() {
        QTest::addColumn<bool>("paused");
        QTest::addColumn<QString>("nextCanary");
        QTest::newRow("baking") << false << "80 rollout_stage us-east-1 canary 5%";
        QTest::newRow("paused while baking") << true << "";
    }
    void promoteCannotEndTheBake() {
        QFETCH(bool, paused);
        QFETCH(QString, nextCanary);
        Fixture f;
        const auto d = f.deploy();
        f.run(20s);
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::PromoteFull, {}, {})), QString());
        f.run(1s);
        QVERIFY(f.view(d.id).regions[0].baking);
        if (paused) {
            QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Pause, {}, {})), QString());
        }
        for (const auto control : {RolloutControl::Promote, RolloutControl::PromoteFull}) {
            QCOMPARE(said(f.orchestrator->control(d.id, control, {}, {})),
                     QStringLiteral("us-west-2 is at 100 % and baking: the next region starts after the 60 s "
                                    "bake time"));
        }
        f.run(100s);
        QCOMPARE(f.events.filter("us-east-1").size(), nextCanary.isEmpty() ? 0 : 1);
        if (!nextCanary.isEmpty()) {
            QVERIFY2(f.events.contains(nextCanary), qPrintable(f.events.join('\n')));
            QVERIFY(f.events.contains("80 rollout_stage us-west-2 done 100%"));
        } else {
            QCOMPARE(toString(f.view(d.id).status), QStringLiteral("paused"));
            QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("prod"));
        }
    }

    void abortRollsBackTheActiveRegionAndCancelsTheRest() {
        Fixture f;
        const auto d = f.deploy();
        f.run(1000s);  // us-west-2 done, us-east-1 in canary
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Abort, {}, "bad metrics")), QString());
        const RolloutView v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("aborted"));
        QCOMPARE(v.regions[0].stage, QStringLiteral("done"));
        QCOMPARE(v.regions[1].stage, QStringLiteral("rolled_back"));
        QCOMPARE(v.regions[2].stage, QStringLiteral("cancelled"));
        QVERIFY(f.events.filter("rollback us-east-1 aborted by operator: bad metrics").size() == 1);
        QVERIFY(f.alerts.filter("rollback_triggered").isEmpty());  // deliberate, not an incident
    }

    void rollbackWorksOnACompletedRegion() {
        Fixture f;
        const auto d = f.deploy();
        f.run(1000s);
        QCOMPARE(*f.infra.stableVersion("api-service", "us-west-2"), QStringLiteral("v2.0.0"));
        QCOMPARE(
            said(f.orchestrator->control(d.id, RolloutControl::Rollback, "us-west-2", "customer report")),
            QString());
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("rolled_back"));
        QCOMPARE(*f.infra.stableVersion("api-service", "us-west-2"), QStringLiteral("v1.0.0"));
        QCOMPARE(toString(f.view(d.id).status),
                 QStringLiteral("in_progress"));  // the active region carries on
        QVERIFY(said(f.orchestrator->control(d.id, RolloutControl::Rollback, "eu-west-1", {}))
                    .startsWith("region: eu-west-1 is pending"));
        QVERIFY(said(f.orchestrator->control(d.id, RolloutControl::Rollback, "mars-1", {}))
                    .startsWith("region: 'mars-1'"));
    }

    // Issue 15 item 9: a rollout with a region rolled back is not completed, and retry redoes it.
    void rollingBackAFinishedRegionMakesTheRolloutRetryable_data() {
        QTest::addColumn<int>("rollbackAtS");
        QTest::newRow("after the rollout completed") << 3000;
        QTest::newRow("while a later region runs") << 1000;
    }
    void rollingBackAFinishedRegionMakesTheRolloutRetryable() {
        QFETCH(int, rollbackAtS);
        Fixture f;
        const auto d = f.deploy();
        f.run(std::chrono::seconds(rollbackAtS));
        QCOMPARE(
            said(f.orchestrator->control(d.id, RolloutControl::Rollback, "us-west-2", "customer report")),
            QString());
        f.run(std::chrono::seconds(3000 - std::min(rollbackAtS, 3000) + 2000));
        RolloutView v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("rolled_back"));
        QCOMPARE(v.regions[0].stage, QStringLiteral("rolled_back"));
        QCOMPARE(v.regions[2].stage, QStringLiteral("done"));
        QCOMPARE(f.alerts.filter("GREEN").size(), rollbackAtS >= 3000 ? 1 : 0);  // only when it was true
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Retry, {}, {})), QString());
        f.run(1000s);
        v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("completed"));
        QCOMPARE(v.regions[0].stage, QStringLiteral("done"));
        QCOMPARE(*f.infra.stableVersion("api-service", "us-west-2"), QStringLiteral("v2.0.0"));
    }

    // Issue 15 build item 3: per service a revision history, and undo to a chosen revision.
    void undoRedeploysAnEarlierRevisionThroughEveryStage() {
        Fixture f;
        const auto first = f.deploy(QStringLiteral("api-service"), QStringLiteral("v2.0.0"));
        f.run(3000s);
        const auto second = f.deploy(QStringLiteral("api-service"), QStringLiteral("v2.1.0"));
        f.run(3000s);
        QCOMPARE(*f.infra.stableVersion("api-service", "eu-west-1"), QStringLiteral("v2.1.0"));
        const auto history = f.orchestrator->revisions(QStringLiteral("api-service"));
        QCOMPARE(history.size(), std::size_t{2});
        QCOMPARE(history[0].revision, 1);
        QCOMPARE(history[0].deployment, first.id);
        QCOMPARE(history[1].version, QStringLiteral("v2.1.0"));
        QCOMPARE(history[1].deployment, second.id);
        QVERIFY(f.orchestrator->revisions(QStringLiteral("payments-service")).empty());

        f.events.clear();
        const auto undo = f.orchestrator->undo(QStringLiteral("api-service"), 1, QStringLiteral("ana"),
                                               QStringLiteral("ana"));
        QVERIFY(!undo.error);
        QVERIFY(undo.accepted);
        QCOMPARE(f.view(undo.id).version, QStringLiteral("v2.0.0"));
        QCOMPARE(f.view(undo.id).requestedBy, QStringLiteral("ana"));
        f.clock.advanceBy(0s);
        QCOMPARE(f.events.value(0),
                 QStringLiteral("6000 rollout_stage us-west-2 canary 5%"));  // a canary first
        // While it runs, no second undo.
        QCOMPARE(
            said(f.orchestrator->undo(QStringLiteral("api-service"), 2, {}, {}).error),
            QStringLiteral("api-service has a rollout in flight (%1, in_progress): finish, abort or roll it "
                           "back before an undo")
                .arg(undo.id));
        f.run(3000s);
        QCOMPARE(*f.infra.stableVersion("api-service", "eu-west-1"), QStringLiteral("v2.0.0"));
        QCOMPARE(f.orchestrator->revisions(QStringLiteral("api-service")).size(), std::size_t{3});
    }

    void undoRefusesWhatItCannotDo_data() {
        QTest::addColumn<int>("toRevision");
        QTest::addColumn<QString>("refusal");
        QTest::addColumn<int>("code");
        QTest::newRow("the newest, which runs")
            << 3 << "to_revision: api-service already runs v2.0.0 (revision 3)"
            << static_cast<int>(RefusalCode::Conflict);
        QTest::newRow("a rolled-back revision")
            << 2
            << "to_revision: revision 2 (api-service v2.1.0) ended rolled_back: an undo goes back only to a "
               "revision that completed"
            << static_cast<int>(RefusalCode::Conflict);
        QTest::newRow("a revision that does not exist")
            << 4 << "to_revision: api-service has revisions 1 to 3, not 4"
            << static_cast<int>(RefusalCode::NotFound);
        // Revision 1 ran v2.0.0 too: the previous one that runs another version is none.
        QTest::newRow("the default, with nothing else to go back to")
            << 0 << "to_revision: api-service has no earlier completed revision to go back to"
            << static_cast<int>(RefusalCode::Conflict);
    }
    void undoRefusesWhatItCannotDo() {
        QFETCH(int, toRevision);
        QFETCH(QString, refusal);
        QFETCH(int, code);
        Fixture f;
        f.deploy(QStringLiteral("api-service"), QStringLiteral("v2.0.0"));
        f.run(3000s);
        const auto bad = f.deploy(QStringLiteral("api-service"), QStringLiteral("v2.1.0"));
        f.infra.addFault(
            InfraFault{QStringLiteral("us-west-2"), QStringLiteral("v2.1.0"), 0.5, {}, {}, {}, {}});
        f.run(3000s);
        QCOMPARE(toString(f.view(bad.id).status), QStringLiteral("rolled_back"));
        f.infra.clearFaults(QStringLiteral("us-west-2"));
        f.deploy(QStringLiteral("api-service"), QStringLiteral("v2.0.0"));
        f.run(3000s);
        const auto undo = f.orchestrator->undo(QStringLiteral("api-service"), toRevision, {}, {});
        QVERIFY(undo.error);
        QCOMPARE(undo.error->text(), refusal);
        QCOMPARE(static_cast<int>(undo.error->code), code);
        QCOMPARE(f.orchestrator->revisions(QStringLiteral("api-service")).size(),
                 std::size_t{3});  // nothing new
        QCOMPARE(said(f.orchestrator->undo(QStringLiteral("cart"), 1, {}, {}).error),
                 QStringLiteral("service: no revisions of 'cart' to undo"));
    }

    void retryRestartsAnAbortedRolloutFromItsFirstUnfinishedRegion() {
        Fixture f;
        const auto d = f.deploy();
        f.run(1000s);
        QVERIFY(
            said(f.orchestrator->control(d.id, RolloutControl::Retry, {}, {})).startsWith("only an aborted"));
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Abort, {}, {})), QString());
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Retry, {}, {})), QString());
        f.clock.advanceBy(0s);
        RolloutView v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("in_progress"));
        QCOMPARE(v.regions[0].stage, QStringLiteral("done"));
        QCOMPARE(v.regions[1].stage, QStringLiteral("canary"));
        f.run(2000s);
        QCOMPARE(toString(f.view(d.id).status), QStringLiteral("completed"));
    }

    void anActionFailureFailsTheDeploymentWithACriticalAlert() {
        Fixture f;
        f.infra.addFault(InfraFault{"us-west-2", {}, {}, {}, 1.0, {}, {}});
        const auto d = f.deploy();
        f.run(5s);
        QCOMPARE(toString(f.view(d.id).status), QStringLiteral("failed"));
        QCOMPARE(f.alerts.filter("CRITICAL deployment_failed").size(), 1);
        QVERIFY(
            f.alerts.filter("CRITICAL deployment_failed")[0].contains("apply_config failed in us-west-2"));
    }

    void failingActionsTripTheRegionBreaker() {
        DeploymentsConfig config;
        config.breaker.failureThreshold = 2;
        Fixture f(config);
        f.infra.addFault(InfraFault{"us-west-2", {}, {}, {}, 1.0, {}, {}});
        for (const auto& v : {"v2.0.0", "v2.0.1"}) {
            const auto d = f.deploy("api-service", v);
            f.run(1s);
            QCOMPARE(toString(f.view(d.id).status), QStringLiteral("failed"));
        }
        QCOMPARE(toString(f.orchestrator->breaker("deploy:us-west-2")->state()), QStringLiteral("open"));
        const auto blocked = f.deploy("api-service", "v2.0.2");
        f.run(1s);
        QVERIFY(f.alerts.last().contains("breaker deploy:us-west-2 is open"));
        QVERIFY(!blocked.id.isEmpty());
    }

    // §7: after a restart the operator chooses resume or rollback; nothing else moves it.
    void anInterruptedRolloutTakesOnlyResumeRollbackOrAbort_data() {
        QTest::addColumn<QString>("control");
        QTest::addColumn<QString>("refusal");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("stage");
        const QString refused = "the rollout was interrupted by a restart: resume or roll back first";
        QTest::newRow("promote") << "promote" << refused << "interrupted"
                                 << "staging";
        QTest::newRow("promote_full") << "promote_full" << refused << "interrupted"
                                      << "staging";
        QTest::newRow("pause") << "pause" << refused << "interrupted"
                               << "staging";
        QTest::newRow("resume") << "resume" << QString() << "in_progress"
                                << "staging";
        QTest::newRow("rollback") << "rollback" << QString() << "rolled_back"
                                  << "rolled_back";
        QTest::newRow("abort") << "abort" << QString() << "aborted"
                               << "rolled_back";
    }
    void anInterruptedRolloutTakesOnlyResumeRollbackOrAbort() {
        QFETCH(QString, control);
        QFETCH(QString, refusal);
        QFETCH(QString, status);
        QFETCH(QString, stage);
        RolloutView saved;
        {
            Fixture before;
            const auto d = before.deploy();
            before.run(400s);  // us-west-2 in staging 25 %
            saved = before.view(d.id);
        }
        Fixture f;  // the restarted engine
        f.orchestrator->restore(saved);
        QCOMPARE(toString(f.view(saved.id).status), QStringLiteral("interrupted"));
        const auto which = *rolloutControlFromString(control);
        QCOMPARE(said(f.orchestrator->control(saved.id, which,
                                              which == RolloutControl::Rollback ? "us-west-2" : "", {})),
                 refusal);
        f.clock.advanceBy(0s);
        const RolloutView v = f.view(saved.id);
        QCOMPARE(toString(v.status), status);
        QCOMPARE(v.regions[0].stage, stage);
        f.run(20s);
        QCOMPARE(f.view(saved.id).regions[0].stage, stage);  // a refused control started nothing
    }

    // Issue 15 build item 3: Argo's indefinite pause step waits for promote, however long.
    void aPauseStepWaitsForPromote() {
        DeploymentsConfig config;
        config.stages = {{"canary", 5, 60}, {"hold", 5, 0, true}, {"prod", 100, 0}};
        Fixture f(config);
        const auto d = f.deploy();
        f.run(100000s);
        QVERIFY2(f.events.contains("60 rollout_stage us-west-2 hold 5%"), qPrintable(f.events.join('\n')));
        RolloutView v = f.view(d.id);
        QCOMPARE(v.regions[0].stage, QStringLiteral("hold"));
        QVERIFY(v.regions[0].awaitingPromote);
        QCOMPARE(toString(v.status), QStringLiteral("in_progress"));
        QVERIFY(!v.regions[0].health.empty());  // measured all the while
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Resume, {}, {})),
                 QStringLiteral("the rollout is in_progress, not paused"));
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Promote, {}, {})), QString());
        f.run(1s);
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("prod"));
        QVERIFY(!f.view(d.id).regions[0].awaitingPromote);
        f.run(60s);  // the bake, then the next region, which stops at its pause step again
        QVERIFY2(f.events.filter("us-west-2 done").size() == 1, qPrintable(f.events.join('\n')));
        f.run(200s);
        QCOMPARE(f.view(d.id).regions[1].stage, QStringLiteral("hold"));
    }

    // Flagger's confirm-promotion: a gated stage ends only on promote, after its duration.
    void aGatedStageEndsOnlyOnPromote() {
        DeploymentsConfig config;
        config.stages = {{"canary", 5, 60, false, true}, {"prod", 100, 0}};
        Fixture f(config);
        const auto d = f.deploy();
        f.run(59s);
        QVERIFY(!f.view(d.id).regions[0].awaitingPromote);
        f.run(1000s);
        RolloutView v = f.view(d.id);
        QCOMPARE(v.regions[0].stage, QStringLiteral("canary"));
        QVERIFY(v.regions[0].awaitingPromote);
        QCOMPARE(f.alerts.filter("stage_slow").size(), 1);  // waiting past 1.5 × its plan is slow
        QCOMPARE(said(f.orchestrator->control(d.id, RolloutControl::Promote, {}, {})), QString());
        f.run(1s);
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("prod"));
    }

    // Argo's Inconclusive: under on_marginal: pause a marginal measurement pauses the rollout
    // for a human; each measurement says what it was.
    void aMarginalMeasurementPausesTheRolloutUnderOnMarginalPause_data() {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("stage");
        QTest::newRow("promote") << "promote"
                                 << "in_progress"
                                 << "staging";
        QTest::newRow("rollback") << "rollback"
                                  << "rolled_back"
                                  << "rolled_back";
    }
    void aMarginalMeasurementPausesTheRolloutUnderOnMarginalPause() {
        QFETCH(QString, answer);
        QFETCH(QString, status);
        QFETCH(QString, stage);
        DeploymentsConfig config;
        config.onMarginal = OnMarginal::Pause;
        Fixture f(config);
        f.infra.addFault(InfraFault{"us-west-2", {}, 0.03, {}, {}, {}, {}});
        const auto d = f.deploy();
        f.run(10s);
        RolloutView v = f.view(d.id);
        QCOMPARE(toString(v.status), QStringLiteral("paused"));
        QCOMPARE(v.regions[0].health.size(), std::size_t{1});
        QCOMPARE(toString(v.regions[0].health[0].result), QStringLiteral("marginal"));
        QCOMPARE(f.alerts.filter("HIGH health_marginal").size(), 1);
        f.run(2000s);  // it waits: the stage's time runs out, nothing moves
        QCOMPARE(f.view(d.id).regions[0].stage, QStringLiteral("canary"));
        QCOMPARE(toString(f.view(d.id).status), QStringLiteral("paused"));
        QCOMPARE(said(f.orchestrator->control(d.id, *rolloutControlFromString(answer),
                                              answer == u"rollback" ? "us-west-2" : "", "looked at it")),
                 QString());
        f.run(1s);
        v = f.view(d.id);
        QCOMPARE(toString(v.status), status);
        QCOMPARE(v.regions[0].stage, stage);
    }

    void healthyMeasurementsPassAndFailingOnesFail() {
        Fixture f;
        f.infra.addFault(InfraFault{"us-east-1", "v2.0.0", 0.08, {}, {}, {}, {}});
        const auto d = f.deploy();
        f.run(975s);
        const RolloutView v = f.view(d.id);
        QVERIFY(!v.regions[0].health.empty());
        for (const HealthPoint& p : v.regions[0].health) {
            QCOMPARE(toString(p.result), QStringLiteral("pass"));
        }
        QCOMPARE(toString(v.regions[1].health.back().result), QStringLiteral("fail"));
    }

    void validatesDeploymentSignals_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("service missing") << QByteArray(R"({"version":"v1.0.0"})") << "service: required";
        QTest::newRow("service shape")
            << QByteArray(R"({"service":"API service","version":"v1"})")
            << "service: must be 1-64 lowercase letters, digits and '-', starting with a letter or digit";
        QTest::newRow("version missing") << QByteArray(R"({"service":"api-service"})") << "version: required";
        QTest::newRow("unknown region")
            << QByteArray(R"({"service":"api-service","version":"v1","regions":["us-west-2","mars-1"]})")
            << "regions[1]: unknown region 'mars-1' (known: us-west-2, us-east-1, eu-west-1)";
        QTest::newRow("duplicate region")
            << QByteArray(R"({"service":"api-service","version":"v1","regions":["us-west-2","us-west-2"]})")
            << "regions[1]: region 'us-west-2' is listed twice";
        QTest::newRow("initial not bool")
            << QByteArray(R"({"service":"api-service","version":"v1","initial":"yes"})")
            << "initial: must be true or false";
    }
    void validatesDeploymentSignals() {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const auto parsed =
            parseDeploymentSignal(QJsonDocument::fromJson(json).object(), DeploymentsConfig{}.regions);
        QVERIFY(std::holds_alternative<DeploymentError>(parsed));
        QCOMPARE(std::get<DeploymentError>(parsed).text(), error);
    }
};

QTEST_GUILESS_MAIN(TestDeployments)
#include "tst_deployments.moc"
