#include "kanban/kanban_queue.h"
#include "kanban/kanban_worker_pool.h"

#include <QtTest>

#include <atomic>
#include <numeric>
#include <thread>

using namespace tai;

class TestKanbanQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
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

    // Two pushes in a row send one wake-up; the woken worker passes it on, so the second item
    // does not wait for the first one's (long) work while another worker sleeps.
    void aSecondSleepingWorkerTakesTheNextItemWhileTheFirstWorks() {
        KanbanQueue<int> queue(10, 2);
        std::atomic<bool> release{false};
        std::atomic<int> secondHandled{0};
        KanbanWorkerPool<int> pool(queue, 2, [&](int& v) {
            if (v == 1) {
                while (!release.load()) {
                    std::this_thread::yield();
                }
            } else {
                secondHandled = v;
            }
        });
        const auto releaseFirst = qScopeGuard([&] { release = true; });
        QTRY_COMPARE(queue.waitingConsumers(), 2);
        int first = 1, second = 2;
        QVERIFY(queue.tryPush(std::move(first)));
        QVERIFY(queue.tryPush(std::move(second)));
        QTRY_COMPARE(secondHandled.load(), 2);
        QCOMPARE(queue.counters().inProgress, std::size_t{1});  // the first is still at work
    }

    // A sleeper woken for an item that another consumer took must still be woken by the next
    // push: the wake-up in flight is taken when it looks, not when it next goes to sleep. The
    // steal races the woken consumer, so a round catches a stranded item only when the consumer
    // looks between the steal and the next push; twenty rounds give it chances.
    void aWakeUpWhoseItemWasTakenDoesNotStrandTheNextItem() {
        KanbanQueue<int> queue(10, 10);
        std::atomic<int> handled{0};
        std::jthread consumer([&](std::stop_token stop) {
            while (std::optional<int> item = queue.pull(stop)) {
                handled += *item;
                queue.done();
            }
        });
        for (int round = 0; round < 20; ++round) {
            QTRY_COMPARE(queue.waitingConsumers(), 1);
            int stolen = 1000, next = 1;
            QVERIFY(queue.tryPush(std::move(stolen)));
            if (std::optional<int> taken = queue.tryPull()) {  // races the woken consumer
                handled += *taken;
                queue.done();
            }
            QVERIFY(queue.tryPush(std::move(next)));
            QTRY_COMPARE(handled.load(), 1001 * (round + 1));
        }
        consumer.request_stop();
    }

    // One FIFO, not one per producing thread (moodycamel's order without a producer token): the
    // engine's queues may be filled from one thread and later from another.
    void keepsOneFifoWhenTheProducingThreadChanges() {
        KanbanQueue<int> queue(1000, 1000);
        std::atomic<int> pushedBy{0};
        std::atomic<bool> finish{false};
        std::vector<std::thread> producers;  // each stays alive, so none inherits another's sub-queue
        for (int p = 0; p < 3; ++p) {
            producers.emplace_back([&, p] {
                while (pushedBy.load() != p) {
                    std::this_thread::yield();
                }
                for (int i = p * 100; i < p * 100 + 100; ++i) {
                    int v = i;
                    queue.tryPush(std::move(v));
                }
                pushedBy = p + 1;
                while (!finish.load()) {
                    std::this_thread::yield();
                }
            });
        }
        QTRY_COMPARE(pushedBy.load(), 3);
        const auto stopProducers = qScopeGuard([&] {
            finish = true;
            for (auto& t : producers) {
                t.join();
            }
        });
        for (int expected = 0; expected < 300; ++expected) {
            QCOMPARE(queue.tryPull().value_or(-1), expected);
            queue.done();
        }
        QVERIFY(!queue.tryPull());
    }

    void producersOnManyThreadsLoseNothing() {
        KanbanQueue<int> queue(100000, 8);
        std::atomic<long> sum{0};
        KanbanWorkerPool<int> pool(queue, 2, [&](int& v) { sum.fetch_add(v); });
        std::atomic<int> refused{0};
        std::vector<std::thread> producers;
        for (int p = 0; p < 4; ++p) {
            producers.emplace_back([&queue, &refused, p] {
                for (int i = 0; i < 10000; ++i) {
                    int v = p * 10000 + i;
                    refused += queue.tryPush(std::move(v)) ? 0 : 1;
                }
            });
        }
        for (auto& t : producers) {
            t.join();
        }
        QCOMPARE(refused.load(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(queue.counters().completed, 40000u, 10000);
        QCOMPARE(sum.load(), 40000L * 39999 / 2);
        const KanbanCounters c = queue.counters();
        QCOMPARE(c.accepted, 40000u);
        QCOMPARE(c.shed, 0u);
        QCOMPARE(c.depth, std::size_t{0});
    }

    void aConsumerHeldBackByTheWipLimitGetsTheNextItemOnDone() {
        KanbanQueue<int> queue(10, 1);
        for (int i = 1; i <= 2; ++i) {
            int v = i;
            QVERIFY(queue.tryPush(std::move(v)));
        }
        QCOMPARE(queue.tryPull().value_or(-1), 1);  // the one WIP slot is taken
        std::atomic<int> got{0};
        std::atomic<bool> waiting{false};
        std::jthread consumer([&](std::stop_token stop) {
            waiting = true;
            got = queue.pull(stop).value_or(-1);
        });
        QTRY_VERIFY(waiting.load());
        QCOMPARE(got.load(), 0);
        queue.done();
        QTRY_COMPARE(got.load(), 2);
    }

    void aDirectStartCountsAsAcceptedAndInProgress() {
        KanbanQueue<int> queue(4, 2);
        QVERIFY(queue.tryStartDirectly());
        KanbanCounters c = queue.counters();
        QCOMPARE(c.accepted, 1u);
        QCOMPARE(c.inProgress, std::size_t{1});
        QCOMPARE(c.depth, std::size_t{0});
        QVERIFY(queue.tryStartDirectly());
        QVERIFY(!queue.tryStartDirectly());  // WIP limit
        queue.cancelStart();
        c = queue.counters();
        QCOMPARE(c.accepted, 1u);
        QCOMPARE(c.inProgress, std::size_t{1});
        int v = 7;
        QVERIFY(queue.tryPush(std::move(v)));
        QVERIFY(!queue.tryStartDirectly());  // an item waits: never pass it
        queue.done();
        QCOMPARE(queue.tryPull().value_or(-1), 7);
        QCOMPARE(queue.counters().completed, 1u);
    }

    void drainingIgnoresTheWipLimitAndCountsNothingInProgress() {
        KanbanQueue<int> queue(4, 1);
        for (int i = 0; i < 3; ++i) {
            int v = i;
            QVERIFY(queue.tryPush(std::move(v)));
        }
        QVERIFY(queue.tryPull());
        QVERIFY(!queue.tryPull());
        QCOMPARE(queue.tryPullIgnoringWip().value_or(-1), 1);
        QCOMPARE(queue.tryPullIgnoringWip().value_or(-1), 2);
        QVERIFY(!queue.tryPullIgnoringWip());
        const KanbanCounters c = queue.counters();
        QCOMPARE(c.depth, std::size_t{0});
        QCOMPARE(c.inProgress, std::size_t{1});
        int v = 9;
        QVERIFY(queue.tryPush(std::move(v)));  // the drained places are free again
    }

    void aSmallerCapacityShedsUntilTheQueueDrainsBelowIt() {
        KanbanQueue<int> queue(4, 10);
        for (int i = 0; i < 4; ++i) {
            int v = i;
            QVERIFY(queue.tryPush(std::move(v)));
        }
        queue.setCapacity(2);
        int v = 4;
        QVERIFY(!queue.tryPush(std::move(v)));
        QVERIFY(queue.tryPull());
        QVERIFY(queue.tryPull());
        QVERIFY(!queue.tryPush(std::move(v)));
        QVERIFY(queue.tryPull());
        QVERIFY(queue.tryPush(std::move(v)));
        QCOMPARE(queue.counters().capacity, std::size_t{2});
        QCOMPARE(queue.counters().highWater, 4u);
    }
};

QTEST_GUILESS_MAIN(TestKanbanQueue)
#include "tst_kanban_queue.moc"
