// The sliding-window breaker (issue 15, after Resilience4j's CircuitBreakerConfig): failure and
// slow-call rates over a count or time window, minimum_calls, slow probes, half_open_max_calls,
// and the reasons that name the rule that fired. Configurations are policy-file breaker blocks.
#include "breaker_script.h"

#include <QtTest>

using namespace tai;
using namespace tai::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(tai::BreakerState)

namespace {
const QString kCount10 =
    QStringLiteral(R"({"mode":"sliding_window","window_type":"count","window_size":10,"minimum_calls":10})");
const QString kTime10 =
    QStringLiteral(R"({"mode":"sliding_window","window_type":"time","window_size":10,"minimum_calls":4})");
const QString kSlow = QStringLiteral(
    R"({"mode":"sliding_window","window_size":10,"minimum_calls":5,"slow_call_duration_ms":1000,"slow_call_rate_threshold":40})");
}  // namespace

class TestBreakerSlidingWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void judgesByItsWindow_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("script");
        QTest::addColumn<BreakerState>("state");

        using S = BreakerState;
        const QString consecutive;
        // The same calls: at most four failures in a row, six in ten.
        const QString mixed = QStringLiteral("F F F F S F S F S S");
        QTest::newRow("consecutive: four in a row do not open it") << consecutive << mixed << S::Closed;
        QTest::newRow("count window: a 60 % failure rate opens it") << kCount10 << mixed << S::Open;
        QTest::newRow("count window: 40 % stays closed") << kCount10 << "F F F F S S S S S S" << S::Closed;
        QTest::newRow("below minimum_calls nothing is judged") << kCount10 << "F*9" << S::Closed;
        QTest::newRow("the tenth call makes it judge") << kCount10 << "F*9 S" << S::Open;
        QTest::newRow("minimum_calls above a count window is capped at its size")
            << R"({"mode":"sliding_window","window_size":4,"minimum_calls":100})"
            << "S S F F" << S::Open;
        QTest::newRow("old calls leave a count window")
            << R"({"mode":"sliding_window","window_size":4,"minimum_calls":4,"failure_rate_threshold":75})"
            << "F F S S S F F" << S::Closed;
        QTest::newRow("and the newest decide")
            << R"({"mode":"sliding_window","window_size":4,"minimum_calls":4,"failure_rate_threshold":75})"
            << "F F S S S F F F" << S::Open;
        QTest::newRow("time window: 75 % within 10 s opens it") << kTime10 << "F F +5s S F" << S::Open;
        QTest::newRow("time window: calls older than 10 s are gone")
            << kTime10 << "F F +11s S F S S" << S::Closed;
        QTest::newRow("time window: a long quiet spell empties it")
            << kTime10 << "F F F +3600s F" << S::Closed;
        QTest::newRow("time window: minimum_calls counts only the window")
            << kTime10 << "F F F +10s F" << S::Closed;
        // slow calls (over slow_call_duration_ms, as Resilience4j: strictly longer)
        QTest::newRow("a 40 % slow-call rate opens it") << kSlow << "S@1500ms S S@2000ms S S" << S::Open;
        QTest::newRow("a call of exactly the slow duration is not slow")
            << kSlow << "S@1000ms*10" << S::Closed;
        QTest::newRow("20 % slow stays closed") << kSlow << "S@1500ms S*9" << S::Closed;
        QTest::newRow("the old API reports a duration of 0: never slow") << kSlow << "S*10" << S::Closed;
        QTest::newRow("a slow probe re-opens it") << kSlow << "S@1500ms*5 +30s S@1500ms" << S::Open;
        QTest::newRow("fast probes close it") << kSlow << "S@1500ms*5 +30s S S S" << S::Closed;
        QTest::newRow("the window starts empty after a close")
            << kCount10 << "F*10 +30s S S S F*9" << S::Closed;
        // half_open_max_calls: trial calls in one half-open period, beside the in-flight limit
        QTest::newRow("no limit on trial calls by default")
            << consecutive << "F*5 +30s hold hold hold ok#0 hold" << S::HalfOpen;
        QTest::newRow("half_open_max_calls refuses a fourth trial call")
            << R"({"half_open_max_calls":3})"
            << "F*5 +30s hold hold hold ok#0 deny" << S::HalfOpen;
        QTest::newRow("its trial calls can still close it")
            << R"({"half_open_max_calls":3})"
            << "F*5 +30s hold hold hold ok#0 ok#1 ok#2" << S::Closed;
        QTest::newRow("a new half-open period has new trial calls")
            << R"({"half_open_max_calls":3})"
            << "F*5 +30s hold hold hold ok#0 fail#1 +60s S S S" << S::Closed;
    }

    void judgesByItsWindow() {
        QFETCH(QString, config);
        QFETCH(QString, script);
        QFETCH(BreakerState, state);
        QString error;
        BreakerScript runner(breakerConfig(config, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString why;
        QVERIFY2(runner.run(script, why), qPrintable(why));
        QCOMPARE(toString(runner.breaker.state()), toString(state));
    }

    void reasonsNameTheRuleThatFired_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("event");

        QTest::newRow("consecutive (today's text)") << QString() << "F*5"
                                                    << "closed->open: 5 consecutive failures";
        QTest::newRow("failure rate over a count window")
            << kCount10 << "F F F F S F S F S S"
            << "closed->open: failure rate 60 % ≥ 50 % over 10 calls";
        QTest::newRow("a fraction of a percent")
            << R"({"mode":"sliding_window","window_size":8,"minimum_calls":8})"
            << "F F F F F S S S"
            << "closed->open: failure rate 62.5 % ≥ 50 % over 8 calls";
        QTest::newRow("fewer calls than the window holds")
            << R"({"mode":"sliding_window","window_size":100,"minimum_calls":5})"
            << "F F F S S"
            << "closed->open: failure rate 60 % ≥ 50 % over 5 calls";
        QTest::newRow("failure rate over a time window")
            << R"({"mode":"sliding_window","window_type":"time","window_size":60,"minimum_calls":5})"
            << "F F F S S"
            << "closed->open: failure rate 60 % ≥ 50 % over 60 s";
        QTest::newRow("slow-call rate over a time window")
            << R"({"mode":"sliding_window","window_type":"time","window_size":60,"minimum_calls":5,)"
               R"("slow_call_duration_ms":1000,"slow_call_rate_threshold":30})"
            << "S@1500ms S S@1500ms S S"
            << "closed->open: slow-call rate 40 % ≥ 30 % over 60 s";
        QTest::newRow("failure rate comes first")
            << R"({"mode":"sliding_window","window_size":2,"slow_call_duration_ms":1000,"slow_call_rate_threshold":50})"
            << "F@1500ms F@1500ms"
            << "closed->open: failure rate 100 % ≥ 50 % over 2 calls";
        QTest::newRow("slow probe") << kSlow << "S@1500ms*5 +30s S@1500.5ms"
                                    << "half_open->open: probe slow: 1500.5 ms > 1000 ms";
        QTest::newRow("failed probe") << kSlow << "S@1500ms*5 +30s F"
                                      << "half_open->open: probe failed";
        QTest::newRow("metrics only: the shadow's reasons")
            << kCount10 << "metricsOnly F*10"
            << "closed->open~: failure rate 100 % ≥ 50 % over 10 calls";
    }

    void reasonsNameTheRuleThatFired() {
        QFETCH(QString, config);
        QFETCH(QString, script);
        QFETCH(QString, event);
        QString error;
        BreakerScript runner(breakerConfig(config, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString why;
        QVERIFY2(runner.run(script, why), qPrintable(why));
        QCOMPARE(runner.events.value(runner.events.size() - 1), event);
    }

    void statusShowsTheWindow() {
        BreakerScript r(breakerConfig(kSlow));
        QString why;
        QVERIFY(r.run(QStringLiteral("S@1500ms F S S"), why));
        BreakerStatus s = r.breaker.status();
        QCOMPARE(toString(s.mode), QStringLiteral("sliding_window"));
        QCOMPARE(toString(s.windowType), QStringLiteral("count"));
        QCOMPARE(s.windowSize, 10);
        QCOMPARE(s.minimumCalls, 5);
        QCOMPARE(s.callsInWindow, 4);
        QCOMPARE(s.failuresInWindow, 1);
        QCOMPARE(s.slowCallsInWindow, 1);
        QVERIFY(!s.failureRate);  // four calls: below minimum_calls, no rate yet
        QCOMPARE(s.failureRateThreshold, 50.0);
        QCOMPARE(s.slowCallRateThreshold, 40.0);
        QCOMPARE(s.slowCallDuration, Duration(1s));
        QVERIFY(r.run(QStringLiteral("S"), why));
        s = r.breaker.status();
        QCOMPARE(s.failureRate.value_or(-1), 20.0);
        QCOMPARE(s.slowCallRate.value_or(-1), 20.0);
    }

    void aTimeWindowEmptiesAsTheClockRunsWithNoCalls() {
        BreakerScript r(breakerConfig(kTime10));
        QString why;
        QVERIFY(r.run(QStringLiteral("F S +5s S"), why));
        QCOMPARE(r.breaker.status().callsInWindow, 3);
        r.clock.advanceBy(5s);  // the first two calls are now 10 s old
        QCOMPARE(r.breaker.status().callsInWindow, 1);
        QCOMPARE(r.breaker.status().failuresInWindow, 0);
        r.clock.advanceBy(5s);
        QCOMPARE(r.breaker.status().callsInWindow, 0);
    }

    void aConsecutiveBreakerShowsNoWindow() {
        BreakerScript r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F S F"), why));
        const BreakerStatus s = r.breaker.status();
        QCOMPARE(toString(s.mode), QStringLiteral("consecutive"));
        QCOMPARE(s.callsInWindow, 0);
        QVERIFY(!s.failureRate);
        QCOMPARE(s.consecutiveFailures, 1);
    }

    void aPolicyEditKeepsTheWindowUnlessItsShapeChanges() {
        BreakerScript r(breakerConfig(kCount10));
        QString why;
        QVERIFY(r.run(QStringLiteral("F F F"), why));
        BreakerConfig tuned = breakerConfig(kCount10);
        tuned.failureRateThreshold = 90;
        r.breaker.setConfig(tuned);
        QCOMPARE(r.breaker.status().callsInWindow, 3);
        tuned.windowSize = 20;
        r.breaker.setConfig(tuned);
        QCOMPARE(r.breaker.status().callsInWindow, 0);
    }
};

QTEST_GUILESS_MAIN(TestBreakerSlidingWindow)
#include "tst_breaker_sliding_window.moc"
