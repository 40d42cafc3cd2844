#include "heijunka/least_loaded_dispatcher.h"
#include "heijunka/token_bucket.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

class TestHeijunka : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bucketStartsFullAndAllowsTheBurst() {
        TokenBucket bucket(2000, 200, TimePoint{});
        int taken = 0;
        while (bucket.tryTake(TimePoint{})) {
            ++taken;
        }
        QCOMPARE(taken, 200);
    }

    void bucketRefillsAtTheRate() {
        TokenBucket bucket(2000, 200, TimePoint{});
        while (bucket.tryTake(TimePoint{})) {
        }
        QCOMPARE(bucket.timeUntilToken(TimePoint{}), Duration(500us));
        QVERIFY(!bucket.tryTake(TimePoint{499us}));
        QVERIFY(bucket.tryTake(TimePoint{500us}));
        // one second later: 2000 more tokens, capped at the burst
        int taken = 0;
        while (bucket.tryTake(TimePoint{500us + 1s})) {
            ++taken;
        }
        QCOMPARE(taken, 200);
    }

    void bucketLevelsToTheRateOverTime() {
        TokenBucket bucket(100, 1, TimePoint{});
        int taken = 0;
        for (auto t = 0ms; t < 10s; t += 1ms) {
            taken += bucket.tryTake(TimePoint{t}) ? 1 : 0;
        }
        QCOMPARE(taken, 1000);  // 10 s × 100/s, ±the initial burst of 1
    }

    void fillReportsTokensAvailable() {
        TokenBucket bucket(10, 5, TimePoint{});
        QCOMPARE(bucket.fill(TimePoint{}), 5.0);
        QVERIFY(bucket.tryTake(TimePoint{}));
        QCOMPARE(bucket.fill(TimePoint{}), 4.0);
        QCOMPARE(bucket.fill(TimePoint{50ms}), 4.5);
    }

    void dispatcherPicksTheLeastLoadedLane() {
        LeastLoadedDispatcher lanes(3);
        QCOMPARE(lanes.acquire(), 0);
        QCOMPARE(lanes.acquire(), 1);
        QCOMPARE(lanes.acquire(), 2);
        QCOMPARE(lanes.acquire(), 0);  // all at 1: lowest index wins → loads 2,1,1
        lanes.release(1);              // 2,0,1
        QCOMPARE(lanes.acquire(), 1);  // 2,1,1
        lanes.release(2);
        lanes.release(2);  // never below zero → 2,1,0
        QCOMPARE(lanes.load(2), 0);
        QCOMPARE(lanes.acquire(), 2);  // 2,1,1
        QCOMPARE(lanes.totalLoad(), 4);
        QCOMPARE(lanes.dispatched(0), 2u);
    }
};

QTEST_GUILESS_MAIN(TestHeijunka)
#include "tst_heijunka.moc"
