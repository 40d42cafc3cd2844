// DESIGN.md §6 as a table: each row is a script of calls and clock moves, and the state it ends in.
#include "breaker_script.h"

#include <QtTest>

using namespace tai;
using namespace tai::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(tai::BreakerState)

class TestCircuitBreaker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void followsTheSpecTable_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<BreakerState>("state");
        QTest::addColumn<bool>("forced");

        using S = BreakerState;
        // closed
        QTest::newRow("counts failures below the threshold") << "F*4" << S::Closed << false;
        QTest::newRow("opens after five consecutive failures") << "F*5" << S::Open << false;
        QTest::newRow("a success resets the count") << "F*4 S F*4" << S::Closed << false;
        QTest::newRow("durations do not matter to a consecutive breaker")
            << "S@99999ms*10 F@99999ms*4" << S::Closed << false;
        // open
        QTest::newRow("open fails fast") << "F*5 deny deny" << S::Open << false;
        QTest::newRow("stays open before the recovery timeout") << "F*5 +29s" << S::Open << false;
        QTest::newRow("goes half-open on its timer with no traffic") << "F*5 +30s" << S::HalfOpen << false;
        QTest::newRow("results of calls admitted before opening are ignored")
            << "hold F*5 ok#0" << S::Open << false;
        // half-open
        QTest::newRow("admits at most three probes")
            << "F*5 +30s hold hold hold deny" << S::HalfOpen << false;
        QTest::newRow("two successful probes are not enough") << "F*5 +30s S S" << S::HalfOpen << false;
        QTest::newRow("three successful probes close it") << "F*5 +30s S S S" << S::Closed << false;
        QTest::newRow("a failed probe re-opens it") << "F*5 +30s S F" << S::Open << false;
        QTest::newRow("re-opened breaker waits the doubled timeout") << "F*5 +30s F +59s" << S::Open << false;
        QTest::newRow("then tries half-open again") << "F*5 +30s F +60s" << S::HalfOpen << false;
        QTest::newRow("watchdog: probes in flight, none done in 60 s")
            << "F*5 +30s hold +60s" << S::Open << false;
        QTest::newRow("watchdog does not fire early") << "F*5 +30s hold +59s" << S::HalfOpen << false;
        QTest::newRow("watchdog restarts when a probe completes")
            << "F*5 +30s hold hold +40s ok#1 +40s" << S::HalfOpen << false;
        QTest::newRow("an idle half-open breaker stays half-open")
            << "F*5 +30s +3600s" << S::HalfOpen << false;
        // operator controls
        QTest::newRow("force open isolates, with no timer") << "forceOpen +3600s deny" << S::Open << true;
        QTest::newRow("release of forced open probes at once") << "forceOpen release" << S::HalfOpen << false;
        QTest::newRow("released probes close it on success")
            << "forceOpen release S S S" << S::Closed << false;
        QTest::newRow("a released probe that fails re-opens it") << "forceOpen release F" << S::Open << false;
        QTest::newRow("release of a tripped, then forced-open breaker probes too")
            << "F*5 forceOpen release hold hold hold deny" << S::HalfOpen << false;
        QTest::newRow("force closed ignores failures") << "forceClosed F*20" << S::Closed << true;
        QTest::newRow("release of forced closed counts failures again")
            << "forceClosed F*3 release F*5" << S::Open << false;
        QTest::newRow("force half-open skips the wait") << "F*5 forceHalfOpen" << S::HalfOpen << true;
        QTest::newRow("forced half-open closes on successful probes")
            << "F*5 forceHalfOpen S S S" << S::Closed << false;
        QTest::newRow("forced half-open re-opens on a failed probe")
            << "F*5 forceHalfOpen F" << S::Open << false;
        QTest::newRow("release of forced half-open keeps probing")
            << "F*5 forceHalfOpen release S S S" << S::Closed << false;
    }

    void followsTheSpecTable() {
        QFETCH(QString, script);
        QFETCH(BreakerState, state);
        QFETCH(bool, forced);
        BreakerScript runner;
        QString why;
        QVERIFY2(runner.run(script, why), qPrintable(why));
        QCOMPARE(toString(runner.breaker.state()), toString(state));
        QCOMPARE(runner.breaker.isForced(), forced);
    }

    void backoffDoublesUpToTheCapAndResetsOnClose() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5"), why));
        QCOMPARE(r.breaker.status().currentRecoveryTimeout, Duration(30s));
        const std::chrono::seconds expected[] = {60s, 120s, 240s, 300s, 300s};
        std::chrono::seconds waited = 30s;
        for (const auto timeout : expected) {
            r.clock.advanceBy(waited);
            QCOMPARE(toString(r.breaker.state()), toString(BreakerState::HalfOpen));
            QVERIFY(r.run(QStringLiteral("F"), why));
            QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Open));
            QCOMPARE(r.breaker.status().currentRecoveryTimeout, Duration(timeout));
            r.clock.advanceBy(timeout - 1s);
            QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Open));
            waited = 1s;
        }
        r.clock.advanceBy(1s);
        QVERIFY(r.run(QStringLiteral("S S S"), why));
        QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Closed));
        QVERIFY(r.run(QStringLiteral("F*5"), why));
        QCOMPARE(r.breaker.status().currentRecoveryTimeout, Duration(30s));
    }

    void openBreakerReportsRetryAfterAndCountdown() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5 +12s"), why));
        const BreakerPermit permit = r.breaker.tryAcquire();
        QVERIFY(!permit.allowed);
        QCOMPARE(permit.retryAfter, Duration(18s));
        QCOMPARE(*r.breaker.status().halfOpenAt, r.clock.now() + 18s);
    }

    void emitsOneEventPerTransitionWithReasons() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5 +30s F +60s hold +60s forceClosed release"), why));
        const QStringList expected{
            QStringLiteral("closed->open: 5 consecutive failures"),
            QStringLiteral("open->half_open: recovery timeout 30s elapsed"),
            QStringLiteral("half_open->open: probe failed"),
            QStringLiteral("open->half_open: recovery timeout 60s elapsed"),
            QStringLiteral("half_open->open: no probe completed within 60s"),
            QStringLiteral("open->closed!: test"),
            QStringLiteral("closed->closed: test"),
        };
        QCOMPARE(r.events, expected);
        QCOMPARE(r.breaker.status().trips, 3u);
    }

    // Issue 15 item 5: release used to emit "open → open", which reports counted as a trip, and
    // then held a healthy downstream off for a whole recovery timeout.
    void releasingAForcedOpenBreakerIsNotATripAndProbes() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("forceOpen +3600s release"), why));
        QCOMPARE(r.events, (QStringList{QStringLiteral("closed->open!: test"),
                                        QStringLiteral("open->half_open: test")}));
        QCOMPARE(r.events.filter(QStringLiteral("->open")).size(), 1);  // what a report counts as trips
        QCOMPARE(r.breaker.status().trips, 1u);
        QVERIFY(!r.breaker.status().halfOpenAt);
        QVERIFY(r.run(QStringLiteral("S S S"), why));
        QCOMPARE(r.events.last(), QStringLiteral("half_open->closed: 3 consecutive successful probes"));
        QCOMPARE(r.breaker.status().trips, 1u);
    }

    void forcingTheSameStateTwiceEmitsNothing() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(
            QStringLiteral("forceOpen forceOpen metricsOnly metricsOnly disable disable release release"),
            why));
        QCOMPARE(r.events, (QStringList{QStringLiteral("closed->open!: test"),
                                        QStringLiteral("open->closed [metrics_only]: test"),
                                        QStringLiteral("closed->closed [disabled]: test"),
                                        QStringLiteral("closed->closed: test")}));
    }

    // metrics_only: the rules run in the shadow; every call goes through.
    void metricsOnlyNeverBlocksButRunsItsRulesAndEmits() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("metricsOnly F*5 S*10 +30s S S S F*5"), why));  // every call admitted
        QCOMPARE(r.events, (QStringList{QStringLiteral("closed->closed [metrics_only]: test"),
                                        QStringLiteral("closed->open~: 5 consecutive failures"),
                                        QStringLiteral("open->half_open~: recovery timeout 30s elapsed"),
                                        QStringLiteral("half_open->closed~: 3 consecutive successful probes"),
                                        QStringLiteral("closed->open~: 5 consecutive failures")}));
        const BreakerStatus s = r.breaker.status();
        QCOMPARE(toString(s.state), toString(BreakerState::Closed));  // what it lets through
        QCOMPARE(toString(s.ruleState), toString(BreakerState::Open));
        QCOMPARE(toString(s.operatorState), QStringLiteral("metrics_only"));
        QVERIFY(!s.forced);
        QCOMPARE(s.trips, 0u);
        QCOMPARE(s.shadowTrips, 2u);
        QCOMPARE(s.shadowRejected, 10u);  // the ten calls made while the rules were open
        QVERIFY(r.breaker.tryAcquire().allowed);
    }

    void metricsOnlyIgnoresTheResultsOfCallsItsRulesWouldHaveRefused() {
        BreakerScript r;
        QString why;
        // Open in the shadow: these successes would never have reached the downstream.
        QVERIFY(r.run(QStringLiteral("metricsOnly F*5 S*10 +30s hold hold hold S"), why));
        const BreakerStatus s = r.breaker.status();
        QCOMPARE(toString(s.ruleState), toString(BreakerState::HalfOpen));
        QCOMPARE(s.probesInFlight, 3);
        QCOMPARE(s.probeSuccesses, 0);  // the fourth call was over the probe limit
        QCOMPARE(s.shadowRejected, 11u);
    }

    void metricsOnlyOverAnOpenBreakerLetsCallsThroughAtOnce() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5 deny metricsOnly S F*4"), why));
        QCOMPARE(r.events.at(1), QStringLiteral("open->closed [metrics_only]: test"));
        QCOMPARE(toString(r.breaker.status().ruleState), toString(BreakerState::Closed));
        QCOMPARE(r.breaker.status().consecutiveFailures, 4);
    }

    void releaseFromMetricsOnlyEnforcesFromAFreshClosedState() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("metricsOnly F*5 release"), why));
        QCOMPARE(r.events.last(), QStringLiteral("closed->closed: test"));
        QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Closed));
        QCOMPARE(r.breaker.status().consecutiveFailures, 0);
        QVERIFY(r.run(QStringLiteral("F*4 S F*5 deny"), why));
        QCOMPARE(r.breaker.status().trips, 1u);
    }

    void disabledCountsNothingAndNeverBlocks() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5 disable F*50 +3600s F*50"), why));
        QCOMPARE(r.events, (QStringList{QStringLiteral("closed->open: 5 consecutive failures"),
                                        QStringLiteral("open->closed [disabled]: test")}));
        const BreakerStatus s = r.breaker.status();
        QCOMPARE(s.consecutiveFailures, 0);
        QCOMPARE(toString(s.operatorState), QStringLiteral("disabled"));
        QVERIFY(!s.halfOpenAt);
        QVERIFY(r.run(QStringLiteral("release F*4"), why));
        QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Closed));
        QVERIFY(r.run(QStringLiteral("F"), why));
        QCOMPARE(toString(r.breaker.state()), toString(BreakerState::Open));
    }

    void callsAdmittedBeforeDisablingDoNotCountAfterRelease() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*4 hold disable release fail#0"), why));
        QCOMPARE(r.breaker.status().consecutiveFailures, 0);
    }

    void forcingOverridesMetricsOnly() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("metricsOnly F*5 forceOpen deny"), why));
        QCOMPARE(r.events.last(), QStringLiteral("closed->open!: test"));
        QCOMPARE(r.breaker.status().trips, 1u);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
