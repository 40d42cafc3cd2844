// Storage failures are reported, not swallowed (issue 14 item 4, the store's side): a failed
// commit is retried, never dropped, its callbacks wait, health says so, and a shutdown during
// failures ends in bounded time saying what it gave up.
#include "audit/audit_schema.h"
#include "audit/audit_store.h"
#include "audit_fixture.h"
#include "raw_database.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <sys/mount.h>
#include <atomic>
#include <cerrno>
#include <future>
#include <mutex>

using namespace tai;
using namespace audit_fixture;
using namespace std::chrono_literals;

namespace {

AuditRow decision(int i) {
    return AuditRow{kNow,
                    QStringLiteral("trace-%1").arg(i),
                    QStringLiteral("decision"),
                    QStringLiteral("pay_%1").arg(i),
                    R"({"status":"charged"})",
                    QStringLiteral("v1")};
}

// The test hook: fails every commit with `code` while `failing`, and says when the n-th failure
// has happened.
struct Fault {
    std::atomic<bool> failing{true};
    std::atomic<int> code{SQLITE_FULL};
    std::atomic<int> attempts{0};
    std::mutex mutex;
    std::promise<void> reached;
    int waitFor = 0;

    std::future<void> after(int n) {
        std::lock_guard lock(mutex);
        reached = std::promise<void>();
        waitFor = attempts.load() + n;
        return reached.get_future();
    }
    int operator()() {
        if (!failing) {
            return SQLITE_OK;
        }
        const int n = ++attempts;
        std::lock_guard lock(mutex);
        if (waitFor > 0 && n >= waitFor) {
            waitFor = 0;
            reached.set_value();
        }
        return code;
    }
};

struct HealthLog {
    std::mutex mutex;
    std::vector<StorageHealth> changes;
    void add(const StorageHealth& h) {
        std::lock_guard lock(mutex);
        changes.push_back(h);
    }
    std::vector<StorageHealth> all() {
        std::lock_guard lock(mutex);
        return changes;
    }
};

}  // namespace

class TestAuditFailures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    int run = 0;

    AuditStore::Options failing(Fault& fault, HealthLog& log) {
        AuditStore::Options o = options(dir.filePath(QStringLiteral("audit-%1.sqlite").arg(++run)));
        o.firstRetry = 1ms;
        o.maxRetry = 4ms;
        o.injectFault = [&fault] {
            return fault();
        };
        o.healthChanged = [&log](const StorageHealth& h) {
            log.add(h);
        };
        return o;
    }

private Q_SLOTS:
    void aFailedCommitIsRetriedAndItsCallbacksWaitUntilItGoesThrough() {
        Fault fault;
        HealthLog log;
        QString error;
        auto store = AuditStore::open(failing(fault, log), &error);
        QVERIFY2(store, qPrintable(error));
        std::atomic<int> released{0};
        auto fiveFailures = fault.after(6);  // the hook runs before the store counts its failure
        for (int i = 0; i < 10; ++i) {
            store->appendDurable({decision(i)}, IdempotencyRow{keyFor(i), hashFor(i), responseFor(i), kNow},
                                 [&released] { ++released; });
        }
        QCOMPARE(fiveFailures.wait_for(30s), std::future_status::ready);
        QCOMPARE(released.load(), 0);  // nothing acknowledged that is not on disk
        const StorageHealth health = store->health();
        QVERIFY(!health.ok);
        QVERIFY2(health.lastError.contains("database or disk is full"), qPrintable(health.lastError));
        QCOMPARE(health.failingSinceMs, kNow);
        QVERIFY(health.failedAttempts >= 5);
        QCOMPARE(health.pendingRows, std::size_t{20});  // ten decisions and their ten keys
        // Keys still being committed are answered from memory, so a retry is not charged again.
        QCOMPARE(store->findIdempotency(keyFor(3), kNow).status, KeyLookup::Status::Found);

        fault.failing = false;
        QVERIFY(store->flush(30s));
        QCOMPARE(released.load(), 10);
        QVERIFY(store->health().ok);
        QCOMPARE(store->health().lastError, health.lastError);  // kept for the record
        const auto changes = log.all();
        QCOMPARE(changes.size(), std::size_t{2});  // one change each way, not one per attempt
        QVERIFY(!changes[0].ok);
        QVERIFY(changes[1].ok);
        AuditQuery all;
        QCOMPARE(store->query(all).size(), std::size_t{10});  // each row once
        QCOMPARE(store->storedKeyCount(), 10);
    }

    void aShutdownDuringFailuresGivesUpInBoundedTimeAndCountsWhat() {
        Fault fault;
        HealthLog log;
        QString error;
        auto store = AuditStore::open(failing(fault, log), &error);
        QVERIFY2(store, qPrintable(error));
        std::atomic<int> released{0};
        auto failed = fault.after(1);
        for (int i = 0; i < 5; ++i) {
            store->appendDurable({decision(i)}, std::nullopt, [&released] { ++released; });
        }
        store->appendDurable({}, IdempotencyRow{keyFor(9), hashFor(9), responseFor(9), kNow}, {});
        QCOMPARE(failed.wait_for(30s), std::future_status::ready);
        QElapsedTimer elapsed;
        elapsed.start();
        const ShutdownReport report = store->close(200ms);
        QVERIFY2(elapsed.elapsed() < 5000, qPrintable(QString::number(elapsed.elapsed())));  // not for ever
        QCOMPARE(report.abandonedRows, 6u);
        QCOMPARE(report.abandonedCallbacks, 5u);
        QCOMPARE(released.load(), 0);
        QVERIFY(!store->flush(1s));
        store->append(decision(99));
        QCOMPARE(store->close(0ms).abandonedRows, 7u);  // what came after the close is counted too
    }

    void aTableGoneFailsCommitsUntilItIsBack() {
        QString error;
        HealthLog log;
        AuditStore::Options o = options(dir.filePath("gone.sqlite"));
        o.firstRetry = 1ms;
        o.maxRetry = 4ms;
        std::promise<void> failing;
        std::atomic<bool> told{false};
        o.healthChanged = [&](const StorageHealth& h) {
            log.add(h);
            if (!h.ok && !told.exchange(true)) {
                failing.set_value();
            }
        };
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->flush());
        RawDatabase db(dir.filePath("gone.sqlite"));
        QVERIFY(db.exec("DROP TABLE audit_events"));
        std::atomic<int> released{0};
        store->appendDurable({decision(1)}, std::nullopt, [&released] { ++released; });
        QCOMPARE(failing.get_future().wait_for(30s), std::future_status::ready);
        QVERIFY2(store->health().lastError.contains("no such table: audit_events"),
                 qPrintable(store->health().lastError));
        QCOMPARE(released.load(), 0);
        QVERIFY(db.exec(AuditSchema::createStatements().front()));
        QVERIFY(store->flush(30s));
        QCOMPARE(released.load(), 1);
        QVERIFY(store->health().ok);
    }

    // A real small filesystem, where this sandbox allows mounting one.
    void aFullDiskFailsCommitsUntilSpaceReturns() {
        QTemporaryDir mountPoint;
        if (::mount("tmpfs", QFile::encodeName(mountPoint.path()).constData(), "tmpfs", 0, "size=4m") != 0) {
            QSKIP(qPrintable(
                QStringLiteral("cannot mount a tmpfs here (%1); the injected failures above cover the "
                               "same path")
                    .arg(QString::fromLocal8Bit(std::strerror(errno)))));
        }
        const auto unmount =
            qScopeGuard([&] { ::umount2(QFile::encodeName(mountPoint.path()).constData(), MNT_DETACH); });
        HealthLog log;
        std::promise<void> full;
        std::atomic<bool> told{false};
        AuditStore::Options o = options(mountPoint.filePath("audit.sqlite"));
        o.firstRetry = 1ms;
        o.maxRetry = 20ms;
        o.healthChanged = [&](const StorageHealth& h) {
            log.add(h);
            if (!h.ok && !told.exchange(true)) {
                full.set_value();
            }
        };
        QString error;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->flush());
        {
            QFile filler(mountPoint.filePath("filler"));
            QVERIFY(filler.open(QIODevice::WriteOnly));
            const QByteArray block(64 * 1024, 'f');
            while (filler.write(block) == block.size() && filler.flush()) {
            }
        }
        std::atomic<int> released{0};
        const QByteArray big(2000, 'p');
        for (int i = 0; i < 300; ++i) {
            AuditRow row = decision(i);
            row.payload = "{\"pad\":\"" + big + "\"}";
            store->appendDurable({row}, IdempotencyRow{keyFor(i), hashFor(i), responseFor(i), kNow},
                                 [&released] { ++released; });
        }
        QCOMPARE(full.get_future().wait_for(30s), std::future_status::ready);
        QVERIFY2(store->health().lastError.contains("full"), qPrintable(store->health().lastError));
        QVERIFY(released.load() < 300);
        QVERIFY(QFile::remove(mountPoint.filePath("filler")));
        QVERIFY(store->flush(30s));
        QCOMPARE(released.load(), 300);
        QVERIFY(store->health().ok);
        QCOMPARE(store->storedKeyCount(), 300);
        AuditQuery all;
        all.limit = 1000;
        QCOMPARE(store->query(all).size(), std::size_t{300});
        QVERIFY(store->close(5s).clean());
    }
};

QTEST_GUILESS_MAIN(TestAuditFailures)
#include "tst_audit_failures.moc"
