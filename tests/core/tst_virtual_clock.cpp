#include "base/virtual_clock.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

class TestVirtualClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firesDueTimersInTimeOrderThenScheduleOrder() {
        VirtualClock clock;
        QStringList fired;
        clock.schedule(TimePoint{5s}, [&] { fired << QStringLiteral("b@5"); });
        clock.schedule(TimePoint{2s}, [&] { fired << QStringLiteral("a@2"); });
        clock.schedule(TimePoint{5s}, [&] { fired << QStringLiteral("c@5"); });
        clock.schedule(TimePoint{9s}, [&] { fired << QStringLiteral("late"); });
        QCOMPARE(clock.advanceTo(TimePoint{5s}), 3);
        QCOMPARE(fired, (QStringList{QStringLiteral("a@2"), QStringLiteral("b@5"), QStringLiteral("c@5")}));
        QCOMPARE(clock.now(), TimePoint{5s});
        QCOMPARE(clock.pendingTimers(), std::size_t{1});
    }

    void timersSeeTheirOwnDueTimeAsNow() {
        VirtualClock clock;
        TimePoint seen{};
        clock.schedule(TimePoint{3s}, [&] { seen = clock.now(); });
        clock.advanceTo(TimePoint{10s});
        QCOMPARE(seen, TimePoint{3s});
        QCOMPARE(clock.now(), TimePoint{10s});
    }

    void timersScheduledWhileFiringRunIfDue() {
        VirtualClock clock;
        int chained = 0;
        clock.schedule(TimePoint{1s}, [&] {
            ++chained;
            clock.scheduleAfter(1s, [&] { ++chained; });
        });
        clock.advanceTo(TimePoint{2s});
        QCOMPARE(chained, 2);
    }

    void neverGoesBack() {
        VirtualClock clock(TimePoint{100s});
        clock.advanceTo(TimePoint{50s});
        QCOMPARE(clock.now(), TimePoint{100s});
    }

    void cancelledTimersDoNotFire() {
        VirtualClock clock;
        bool fired = false;
        const TimerId id = clock.scheduleAfter(1s, [&] { fired = true; });
        clock.cancel(id);
        clock.advanceBy(10s);
        QVERIFY(!fired);
    }

    void stepFiresExactlyOneTimer() {
        VirtualClock clock;
        int count = 0;
        clock.scheduleAfter(1s, [&] { ++count; });
        clock.scheduleAfter(2s, [&] { ++count; });
        QVERIFY(clock.step());
        QCOMPARE(count, 1);
        QCOMPARE(clock.now(), TimePoint{1s});
        QVERIFY(clock.step());
        QVERIFY(!clock.step());
    }
};

QTEST_GUILESS_MAIN(TestVirtualClock)
#include "tst_virtual_clock.moc"
