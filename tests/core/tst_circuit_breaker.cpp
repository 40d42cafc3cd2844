// DESIGN.md §6 as a table: each row is a script of calls and clock moves, and the state it ends in.
#include "base/virtual_clock.h"
#include "jidoka/circuit_breaker.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(tai::BreakerState)

namespace {

// Script words: F (a call that fails), S (a call that succeeds), F*5 (five of them),
// +30s (advance the clock), hold (admit a call and keep it in flight), ok#i / fail#i (finish
// held call i), deny (the next call must fail fast), forceOpen, forceHalfOpen, forceClosed, release.
struct Runner {
    VirtualClock clock{TimePoint{std::chrono::seconds(1'000'000)}};
    CircuitBreaker breaker{QStringLiteral("payment-gateway"), BreakerConfig{}, clock};
    std::vector<BreakerPermit> held;

    bool run(const QString& script, QString& why) {
        for (const QString& word : script.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            int times = 1;
            QString op = word;
            if (word.contains(QLatin1Char('*'))) {
                op = word.section(QLatin1Char('*'), 0, 0);
                times = word.section(QLatin1Char('*'), 1).toInt();
            }
            for (int i = 0; i < times; ++i) {
                if (op == u"F" || op == u"S") {
                    const BreakerPermit permit = breaker.tryAcquire();
                    if (!permit.allowed) {
                        why = word + QStringLiteral(": call was not admitted");
                        return false;
                    }
                    op == u"F" ? breaker.onFailure(permit) : breaker.onSuccess(permit);
                } else if (op.startsWith(QLatin1Char('+'))) {
                    clock.advanceBy(std::chrono::seconds(op.mid(1).chopped(1).toInt()));
                } else if (op == u"hold") {
                    held.push_back(breaker.tryAcquire());
                    if (!held.back().allowed) {
                        why = QStringLiteral("hold: call was not admitted");
                        return false;
                    }
                } else if (op.startsWith(u"ok#") || op.startsWith(u"fail#")) {
                    const auto& permit =
                        held.at(static_cast<std::size_t>(op.section(QLatin1Char('#'), 1).toInt()));
                    op.startsWith(u"ok") ? breaker.onSuccess(permit) : breaker.onFailure(permit);
                } else if (op == u"deny") {
                    if (breaker.tryAcquire().allowed) {
                        why = QStringLiteral("deny: call was admitted");
                        return false;
                    }
                } else if (op == u"forceOpen") {
                    breaker.forceOpen(QStringLiteral("test"));
                } else if (op == u"forceHalfOpen") {
                    breaker.forceHalfOpen(QStringLiteral("test"));
                } else if (op == u"forceClosed") {
                    breaker.forceClosed(QStringLiteral("test"));
                } else if (op == u"release") {
                    breaker.release(QStringLiteral("test"));
                } else {
                    why = QStringLiteral("unknown script word ") + word;
                    return false;
                }
            }
        }
        return true;
    }
};

}  // namespace

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
        QTest::newRow("release of forced open starts the recovery timer")
            << "forceOpen release +30s" << S::HalfOpen << false;
        QTest::newRow("force closed ignores failures") << "forceClosed F*20" << S::Closed << true;
        QTest::newRow("release of forced closed counts failures again")
            << "forceClosed F*3 release F*5" << S::Open << false;
        QTest::newRow("force half-open skips the wait") << "F*5 forceHalfOpen" << S::HalfOpen << true;
        QTest::newRow("forced half-open closes on successful probes")
            << "F*5 forceHalfOpen S S S" << S::Closed << false;
        QTest::newRow("forced half-open re-opens on a failed probe")
            << "F*5 forceHalfOpen F" << S::Open << false;
    }

    void followsTheSpecTable() {
        QFETCH(QString, script);
        QFETCH(BreakerState, state);
        QFETCH(bool, forced);
        Runner runner;
        QString why;
        QVERIFY2(runner.run(script, why), qPrintable(why));
        QCOMPARE(toString(runner.breaker.state()), toString(state));
        QCOMPARE(runner.breaker.isForced(), forced);
    }

    void backoffDoublesUpToTheCapAndResetsOnClose() {
        Runner r;
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
        Runner r;
        QString why;
        QVERIFY(r.run(QStringLiteral("F*5 +12s"), why));
        const BreakerPermit permit = r.breaker.tryAcquire();
        QVERIFY(!permit.allowed);
        QCOMPARE(permit.retryAfter, Duration(18s));
        QCOMPARE(*r.breaker.status().halfOpenAt, r.clock.now() + 18s);
    }

    void emitsOneEventPerTransitionWithReasons() {
        Runner r;
        QStringList events;
        r.breaker.setTransitionListener([&events](const BreakerTransition& t) {
            events << toString(t.from) + QStringLiteral("->") + toString(t.to) +
                          (t.forced ? QStringLiteral("!") : QString()) + QStringLiteral(": ") + t.reason;
        });
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
        QCOMPARE(events, expected);
        QCOMPARE(r.breaker.status().trips, 3u);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
