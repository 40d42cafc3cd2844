// Idempotency keys in bounded memory (issue 14 item 5): SQLite holds them, a point lookup answers
// for each keyed payment, expiry deletes them in bounded batches, and --ephemeral keeps a bounded
// window.
#include "audit/audit_store.h"
#include "audit_fixture.h"
#include "raw_database.h"

#include <QTemporaryDir>
#include <QtTest>

#include <future>

using namespace tai;
using namespace audit_fixture;

namespace {
constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kMinute = 60'000;

IdempotencyRow keyRow(int i, std::int64_t at) {
    return IdempotencyRow{keyFor(i), hashFor(i), responseFor(i), at};
}
AuditRow decisionAt(std::int64_t at) {
    return AuditRow{at,
                    {},
                    QStringLiteral("decision"),
                    QStringLiteral("p"),
                    R"({"status":"charged"})",
                    QStringLiteral("v1")};
}
}  // namespace

class TestIdempotencyLookup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    std::int64_t now = kNow;
    int run = 0;

    std::unique_ptr<AuditStore> openFile(AuditStore::Options* out = nullptr) {
        AuditStore::Options o = options(dir.filePath(QStringLiteral("keys-%1.sqlite").arg(++run)), &now);
        if (out) {
            *out = o;
        }
        QString error;
        auto store = AuditStore::open(o, &error);
        if (!store) {
            qWarning("%s", qPrintable(error));
        }
        return store;
    }

private Q_SLOTS:
    void init() { now = kNow; }

    void aStoredKeyIsFoundAndAnUnknownOneIsMissing() {
        auto store = openFile();
        QVERIFY(store);
        store->appendDurable({}, keyRow(1, now), {});
        QVERIFY(store->flush());
        const KeyLookup found = store->findIdempotency(keyFor(1), now);
        QCOMPARE(found.status, KeyLookup::Status::Found);
        QCOMPARE(found.row.key, keyFor(1));
        QCOMPARE(found.row.canonicalHash, hashFor(1));
        QCOMPARE(found.row.response, responseFor(1));
        QCOMPARE(found.row.storedAtMs, now);
        QCOMPARE(store->findIdempotency(keyFor(2), now).status, KeyLookup::Status::Missing);
    }

    // Between the decision and its commit the key is already taken: a retry must not be charged.
    void aKeyIsFoundWhileItsCommitIsStillRunning() {
        std::promise<void> entered;
        std::promise<void> gate;
        std::shared_future<void> opened = gate.get_future().share();
        std::atomic<bool> armed{false};
        AuditStore::Options o = options(dir.filePath("gated.sqlite"), &now);
        o.injectFault = [&] {
            if (armed.exchange(false)) {
                entered.set_value();
                opened.wait();
            }
            return 0;
        };
        QString error;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        armed = true;
        store->appendDurable({decisionAt(now)}, keyRow(7, now), {});
        entered.get_future().wait();
        store->appendDurable({decisionAt(now)}, keyRow(8, now), {});  // queued behind the running commit
        QCOMPARE(store->findIdempotency(keyFor(7), now).status, KeyLookup::Status::Found);
        QCOMPARE(store->findIdempotency(keyFor(8), now).row.response, responseFor(8));
        gate.set_value();
        QVERIFY(store->flush());
        QCOMPARE(store->findIdempotency(keyFor(7), now).status, KeyLookup::Status::Found);
        QCOMPARE(store->findIdempotency(keyFor(8), now).status, KeyLookup::Status::Found);
    }

    void aKeyExpiresAfter24Hours() {
        auto store = openFile();
        store->appendDurable({}, keyRow(1, now), {});
        QVERIFY(store->flush());
        QCOMPARE(store->findIdempotency(keyFor(1), now + kDay - 1).status, KeyLookup::Status::Found);
        QCOMPARE(store->findIdempotency(keyFor(1), now + kDay).status, KeyLookup::Status::Missing);
    }

    // A row damaged after the open-time check is not taken for a missing key.
    void aDamagedRowIsAFailureNotAMissingKey() {
        AuditStore::Options o;
        auto store = openFile(&o);
        store->appendDurable({}, keyRow(1, now), {});
        QVERIFY(store->flush());
        RawDatabase db(o.path);
        QVERIFY(db.exec("UPDATE idempotency SET response = CAST('{}' AS BLOB)"));
        const KeyLookup damaged = store->findIdempotency(keyFor(1), now);
        QCOMPARE(damaged.status, KeyLookup::Status::Failed);
        QVERIFY2(damaged.error.contains("do not match their checksum"), qPrintable(damaged.error));
    }

    void aDroppedTableIsAFailureNotAMissingKey() {
        AuditStore::Options o;
        auto store = openFile(&o);
        RawDatabase db(o.path);
        QVERIFY(db.exec("DROP TABLE idempotency"));
        const KeyLookup gone = store->findIdempotency(keyFor(1), now);
        QCOMPARE(gone.status, KeyLookup::Status::Failed);
        QVERIFY2(gone.error.contains("no such table"), qPrintable(gone.error));
    }

    // Expiry is the writer's, in bounded batches: never one transaction that deletes a day of keys.
    void expiredKeysAreDeletedInBoundedBatches() {
        auto store = openFile();
        for (int i = 0; i < 5000; ++i) {
            store->appendDurable({}, keyRow(i, now), {});
        }
        QVERIFY(store->flush());
        QCOMPARE(store->storedKeyCount(), 5000);
        now += kDay + 1000;
        const auto passesBefore = store->maintenancePasses();
        store->append(decisionAt(now));  // the next commit carries a maintenance pass
        QVERIFY(store->flush());
        const std::int64_t deleted = 5000 - store->storedKeyCount();
        const auto passes = static_cast<std::int64_t>(store->maintenancePasses() - passesBefore);
        QVERIFY(passes >= 1);
        QVERIFY2(deleted <= 2000 * passes,
                 qPrintable(QStringLiteral("%1 keys in %2 passes").arg(deleted).arg(passes)));
        for (int pass = 0; pass < 10 && store->storedKeyCount() > 0; ++pass) {
            store->append(decisionAt(now));
            QVERIFY(store->flush());
        }
        QCOMPARE(store->storedKeyCount(), 0);
    }

    // Start-up reads no keys: a restart finds them by lookup, and nothing about them is in memory.
    void aRestartFindsKeysWithoutLoadingThem() {
        AuditStore::Options o;
        auto store = openFile(&o);
        for (int i = 0; i < 3000; ++i) {
            store->appendDurable({}, keyRow(i, now), {});
        }
        QVERIFY(store->flush());
        store.reset();
        QString error;
        store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->pendingRows(), std::size_t{0});
        QCOMPARE(store->findIdempotency(keyFor(2999), now).row.response, responseFor(2999));
        QCOMPARE(store->findIdempotency(keyFor(0), now).status, KeyLookup::Status::Found);
    }

    // --ephemeral: the last 15 minutes, and no more than the caps, whatever the load.
    void anEphemeralStoreKeepsABoundedWindow() {
        AuditStore::Options o = options({}, &now);
        o.memoryMaxEvents = 3000;
        o.memoryMaxKeys = 1000;
        QString error;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        for (int i = 0; i < 10'000; ++i) {
            store->appendDurable({decisionAt(now)}, i < 5000 ? std::optional(keyRow(i, now)) : std::nullopt,
                                 {});
        }
        QVERIFY(store->flush());
        now += 2000;
        store->append(decisionAt(now));
        QVERIFY(store->flush());
        AuditQuery all;
        all.limit = 100'000;
        QVERIFY2(store->query(all).size() <= 3001, qPrintable(QString::number(store->query(all).size())));
        QVERIFY2(store->storedKeyCount() <= 1000, qPrintable(QString::number(store->storedKeyCount())));
        QCOMPARE(store->findIdempotency(keyFor(4999), now).status,
                 KeyLookup::Status::Found);  // the newest stay
        now += 15 * kMinute + kMinute;
        store->append(decisionAt(now));
        QVERIFY(store->flush());
        QCOMPARE(store->query(all).size(), std::size_t{1});
        QCOMPARE(store->storedKeyCount(), 0);
        QCOMPARE(store->findIdempotency(keyFor(4999), now).status, KeyLookup::Status::Missing);
    }
};

QTEST_GUILESS_MAIN(TestIdempotencyLookup)
#include "tst_idempotency_lookup.moc"
