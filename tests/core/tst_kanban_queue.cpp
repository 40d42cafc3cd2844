#include "kanban/kanban_queue.h"
#include "kanban/kanban_worker_pool.h"

#include <QtTest>

#include <atomic>

using namespace tai;

class TestKanbanQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ringBufferKeepsFifoOrderThroughGrowthAndWrapAround() {
        RingBuffer<QString> ring;
        int pushed = 0;
        int popped = 0;
        // Interleave so the head wraps several times and the buffer grows from 16 to 64 slots.
        for (int round = 0; round < 10; ++round) {
            for (int i = 0; i < 7 * round; ++i) {
                ring.push_back(QString::number(pushed++));
            }
            for (int i = 0; i < 3 * round && !ring.empty(); ++i) {
                QCOMPARE(ring.front(), QString::number(popped++));
                ring.pop_front();
            }
        }
        QCOMPARE(ring.size(), static_cast<std::size_t>(pushed - popped));
        while (!ring.empty()) {
            QCOMPARE(ring.front(), QString::number(popped++));
            ring.pop_front();
        }
        QCOMPARE(popped, pushed);
    }

    void batchPushAcceptsWhatFitsAndShedsTheRest() {
        KanbanQueue<int> queue(5, 10);
        QVERIFY(queue.tryPush(0));
        std::vector<int> batch{1, 2, 3, 4, 5, 6};
        QCOMPARE(queue.tryPushAll(batch), std::size_t{4});
        QVERIFY(batch.empty());
        const KanbanCounters c = queue.counters();
        QCOMPARE(c.depth, std::size_t{5});
        QCOMPARE(c.accepted, std::uint64_t{5});
        QCOMPARE(c.shed, std::uint64_t{2});
        for (int expected = 0; expected < 5; ++expected) {
            QCOMPARE(queue.tryPull().value(), expected);
        }
    }

    void aBatchWakesASleepingWorker() {
        KanbanQueue<int> queue(100, 10);
        std::atomic<int> handled{0};
        KanbanWorkerPool<int> pool(queue, 2, [&](int&) { handled.fetch_add(1); });
        std::vector<int> batch(50, 1);
        queue.tryPushAll(batch);
        QTRY_COMPARE(handled.load(), 50);
    }

    void shedsWhenFullAndKeepsTheItemForTheCaller() {
        KanbanQueue<QString> queue(2, 10);
        QString a = QStringLiteral("a"), b = QStringLiteral("b"), c = QStringLiteral("c");
        QVERIFY(queue.tryPush(std::move(a)));
        QVERIFY(queue.tryPush(std::move(b)));
        QVERIFY(!queue.tryPush(std::move(c)));
        QCOMPARE(c, QStringLiteral("c"));  // not moved from: the caller still owns it
        const auto counters = queue.counters();
        QCOMPARE(counters.depth, std::size_t{2});
        QCOMPARE(counters.accepted, 2u);
        QCOMPARE(counters.shed, 1u);
        QCOMPARE(counters.highWater, 2u);
    }

    void pullsInOrderAndRespectsTheWipLimit() {
        KanbanQueue<int> queue(10, 2);
        for (int i = 0; i < 4; ++i) {
            int v = i;
            QVERIFY(queue.tryPush(std::move(v)));
        }
        QCOMPARE(*queue.tryPull(), 0);
        QCOMPARE(*queue.tryPull(), 1);
        QVERIFY(!queue.tryPull());  // two in progress: WIP limit reached
        QVERIFY(!queue.canPull());
        queue.done();
        QCOMPARE(*queue.tryPull(), 2);
        QCOMPARE(queue.counters().inProgress, std::size_t{2});
        QCOMPARE(queue.counters().completed, 1u);
    }

    void aSlotFreesWhenAnItemIsPulled() {
        KanbanQueue<int> queue(1, 5);
        int a = 1, b = 2;
        QVERIFY(queue.tryPush(std::move(a)));
        QVERIFY(!queue.tryPush(std::move(b)));
        QVERIFY(queue.tryPull());
        QVERIFY(queue.tryPush(std::move(b)));
    }

    void workerPoolProcessesEveryItemWithinTheWipLimit() {
        KanbanQueue<int> queue(100000, 3);
        std::atomic<int> processed{0};
        std::atomic<int> concurrent{0};
        std::atomic<int> maxConcurrent{0};
        {
            KanbanWorkerPool<int> pool(queue, 4, [&](int&) {
                const int now = ++concurrent;
                int seen = maxConcurrent.load();
                while (now > seen && !maxConcurrent.compare_exchange_weak(seen, now)) {
                }
                ++processed;
                --concurrent;
            });
            for (int i = 0; i < 20000; ++i) {
                int v = i;
                QVERIFY(queue.tryPush(std::move(v)));
            }
            QTRY_COMPARE_WITH_TIMEOUT(processed.load(), 20000, 10000);
        }
        QVERIFY(maxConcurrent.load() <= 3);
        QCOMPARE(queue.counters().completed, 20000u);
        QCOMPARE(queue.counters().inProgress, std::size_t{0});
    }

    void poolStopsPromptlyWhenIdle() {
        KanbanQueue<int> queue(10, 10);
        auto pool = std::make_unique<KanbanWorkerPool<int>>(queue, 2, [](int&) {});
        QCOMPARE(pool->workerCount(), 2);
        pool.reset();  // must not hang on the blocking pull
        QVERIFY(true);
    }
};

QTEST_GUILESS_MAIN(TestKanbanQueue)
#include "tst_kanban_queue.moc"
