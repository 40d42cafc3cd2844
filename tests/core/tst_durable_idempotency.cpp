// Idempotency keys in bounded memory (issue 14): the engine's key store keeps a bounded cache in
// front of the audit store's SQLite table, loads nothing at start, and says Unavailable (never
// "not stored") for a key it cannot read.
#include "audit/audit_store.h"
#include "audit_fixture.h"
#include "engine/durable_idempotency_store.h"
#include "engine/payment_key_rows.h"
#include "payments/payment_json.h"
#include "pipeline_fixture.h"
#include "raw_database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tai;

namespace {
constexpr std::int64_t kNow = audit_fixture::kNow;
const TimePoint kAt = fromEpochMs(kNow);

PaymentResponse chargedResponse(int i) {
    PaymentResponse r;
    r.id = QStringLiteral("pay_%1").arg(i);
    r.traceId = QStringLiteral("0af7651916cd43dd8448eb211c80319c");
    r.outcome = PaymentOutcome::Charged;
    r.receiptId = QStringLiteral("rcpt_%1").arg(i);
    return r;
}
QString keyFor(int i) {
    return QStringLiteral("order-%1").arg(i);
}
QByteArray hashFor(int i) {
    return QByteArray::number(i).toHex().leftJustified(64, 'a');
}
// What the engine does for a keyed decision: the record into the key store, the row into the trail.
void store(AuditStore& audit, IdempotencyStore& keys, int i, TimePoint at) {
    IdempotencyRecord record{hashFor(i), chargedResponse(i), at};
    audit.appendDurable(
        {},
        IdempotencyRow{keyFor(i), record.canonicalHash, paymentResponseJson(record.response), toEpochMs(at)},
        {});
    keys.put(keyFor(i), std::move(record));
}
}  // namespace

class TestDurableIdempotency : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::int64_t now_ = kNow;
    int run_ = 0;

    std::unique_ptr<AuditStore> open(const QString& path) {
        AuditStore::Options o;
        o.path = path;
        o.nowMs = [this] {
            return now_;
        };
        o.validateKey = validatePaymentKeyRow;
        QString error;
        auto audit = AuditStore::open(o, &error);
        if (!audit) {
            qWarning("%s", qPrintable(error));
        }
        return audit;
    }
    QString nextPath() { return dir_.filePath(QStringLiteral("keys-%1.sqlite").arg(++run_)); }

private Q_SLOTS:
    void init() { now_ = kNow; }

    void theCacheStaysBoundedAndEvictedKeysAreReadFromSqlite() {
        auto audit = open(nextPath());
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit, 8);
        for (int i = 0; i < 100; ++i) {
            store(*audit, keys, i, kAt);
        }
        QCOMPARE(keys.size(), std::size_t{8});
        QVERIFY(audit->flush());
        for (int i = 99; i >= 0; --i) {  // newest first: the 8 still cached come first
            const IdempotencyFind found = keys.find(keyFor(i), kAt + std::chrono::minutes(1));
            QVERIFY2(found.record && !found.unavailable, qPrintable(keyFor(i)));
            QCOMPARE(found.record->canonicalHash, hashFor(i));
            QCOMPARE(found.record->response.receiptId, QStringLiteral("rcpt_%1").arg(i));
            QCOMPARE(found.record->storedAt, kAt);
        }
        QCOMPARE(keys.size(), std::size_t{8});
        QCOMPARE(keys.storeLookups(), std::uint64_t{100 - 8});  // the 8 cached ones cost no lookup
        QVERIFY(!keys.find(QStringLiteral("never-stored"), kAt).record);
    }

    void aQueuedKeyIsFoundBeforeItsCommit() {
        auto audit = open(nextPath());
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit, 1);
        store(*audit, keys, 1, kAt);
        store(*audit, keys, 2, kAt);  // pushes key 1 out of the cache; its commit may still be queued
        const IdempotencyFind found = keys.find(keyFor(1), kAt);
        QVERIFY(found.record);
        QCOMPARE(found.record->canonicalHash, hashFor(1));
    }

    void aRestartLoadsNoKeysAndStillFindsEveryOne() {
        const QString path = nextPath();
        {
            auto audit = open(path);
            QVERIFY(audit);
            DurableIdempotencyStore keys(*audit);
            for (int i = 0; i < 2000; ++i) {
                store(*audit, keys, i, kAt);
            }
            QVERIFY(audit->flush());
        }
        auto audit = open(path);
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit);
        QCOMPARE(keys.size(), std::size_t{0});  // nothing loaded
        QCOMPARE(audit->storedKeyCount(), 2000);
        for (const int i : {0, 999, 1999}) {
            const IdempotencyFind found = keys.find(keyFor(i), kAt + std::chrono::hours(1));
            QVERIFY(found.record);
            QVERIFY(found.record->response.outcome == PaymentOutcome::Charged);
        }
    }

    void aKeyExpiresAfter24Hours() {
        auto audit = open(nextPath());
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit, 1);
        store(*audit, keys, 1, kAt);
        store(*audit, keys, 2, kAt);
        QVERIFY(audit->flush());
        const TimePoint later = kAt + IdempotencyStore::kRetention;
        QVERIFY(!keys.find(keyFor(1), later).record);  // from SQLite
        QVERIFY(!keys.find(keyFor(2), later).record);  // from the cache
        QVERIFY(keys.find(keyFor(2), later - std::chrono::seconds(1)).record);
    }

    void aKeyThatCannotBeParsedIsUnavailableNotMissing() {
        const QString path = nextPath();
        auto audit = open(path);
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit, 1);
        store(*audit, keys, 1, kAt);
        store(*audit, keys, 2, kAt);
        QVERIFY(audit->flush());
        RawDatabase raw(path);
        QVERIFY(raw.exec("UPDATE idempotency SET response = '{\"status\":' WHERE key = 'order-1'"));
        const IdempotencyFind found = keys.find(keyFor(1), kAt);
        QVERIFY(!found.record);
        QVERIFY(found.unavailable);
    }

    void aKeyThatCannotBeReadIsUnavailableNotMissing() {
        const QString path = nextPath();
        auto audit = open(path);
        QVERIFY(audit);
        DurableIdempotencyStore keys(*audit, 1);
        store(*audit, keys, 1, kAt);
        store(*audit, keys, 2, kAt);
        QVERIFY(audit->flush());
        RawDatabase raw(path);
        QVERIFY(raw.exec("DROP TABLE idempotency"));
        const IdempotencyFind found = keys.find(keyFor(1), kAt);
        QVERIFY(!found.record);
        QVERIFY(found.unavailable);
        QVERIFY(keys.find(keyFor(2), kAt).record);  // still cached: its answer was read before
    }

    void aPaymentWhoseKeyCannotBeReadIsRefusedBeforeTheGateway() {
        const QString path = nextPath();
        auto audit = open(path);
        QVERIFY(audit);
        PipelineFixture f;
        DurableIdempotencyStore keys(*audit);
        PaymentPipeline pipeline({}, f.clock, f.gateway, keys);
        RawDatabase raw(path);
        QVERIFY(raw.exec("DROP TABLE idempotency"));
        std::vector<PaymentResponse> responses;
        const auto send = [&](std::optional<QString> key) {
            PaymentSignal s = f.payment(QStringLiteral("pay_%1").arg(responses.size()));
            s.idempotencyKey = std::move(key);
            pipeline.submit(std::move(s), QStringLiteral("0123456789abcdef0123456789abcdef"),
                            [&](const PaymentResponse& r) { responses.push_back(r); });
        };
        send(QStringLiteral("order-1"));
        QCOMPARE(responses.size(), std::size_t{1});  // at once: nothing was sent to the gateway
        QVERIFY(responses[0].outcome == PaymentOutcome::CircuitOpen);
        QCOMPARE(httpStatusFor(responses[0].outcome), 503);
        QCOMPARE(responses[0].errorField, QStringLiteral("idempotency_key"));
        QVERIFY(responses[0].error.contains(QStringLiteral("retry with the same key")));
        QVERIFY(responses[0].retryAfter > Duration::zero());
        QVERIFY(responses[0].receiptId.isEmpty());
        send(std::nullopt);  // a payment without a key does not depend on the key store
        f.clock.advanceBy(std::chrono::seconds(5));
        QCOMPARE(responses.size(), std::size_t{2});
        QVERIFY(responses[1].outcome == PaymentOutcome::Charged);
    }
};

QTEST_GUILESS_MAIN(TestDurableIdempotency)
#include "tst_durable_idempotency.moc"
