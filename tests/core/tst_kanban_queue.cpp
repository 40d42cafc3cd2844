#include "kanban/kanban_queue.h"
#include "kanban/kanban_worker_pool.h"

#include <QtTest>

#include <atomic>

using namespace tai;

class TestKanbanQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
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
