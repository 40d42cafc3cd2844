// A damaged audit database is refused at open, never served from (issue 14 item 2).
#include "audit/audit_store.h"
#include "audit/row_checksum.h"
#include "audit_fixture.h"
#include "raw_database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tai;
using namespace audit_fixture;

namespace {
const QByteArray kGarbageResponse = "{\"status\": \"char";  // cut off mid-string
}

class TestAuditIntegrity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    QString path() const { return dir.filePath("audit.sqlite"); }

    // The refusal names the file, the problem and both ways out.
    void verifyRefused(const QString& problem) {
        QString error;
        auto store = AuditStore::open(options(path()), &error);
        QVERIFY2(!store, "a damaged database was opened");
        QVERIFY2(error.contains(path()), qPrintable(error));
        QVERIFY2(error.contains(problem, Qt::CaseInsensitive), qPrintable(error));
        QVERIFY2(error.contains("Restore the file from a backup"), qPrintable(error));
        QVERIFY2(error.contains("tai-console audit recover --data-dir " + dir.path()), qPrintable(error));
        QVERIFY2(error.contains("--recover-audit"), qPrintable(error));
    }

private Q_SLOTS:
    void init() {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            QFile::remove(path() + suffix);
        }
        populate(path(), 2000, 200);
    }

    void anIntactDatabaseOpensAndEveryKeyIsThere() {
        QString error;
        auto store = AuditStore::open(options(path()), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->storedKeyCount(), 2000);
        for (int i : {0, 999, 1999}) {
            const KeyLookup found = store->findIdempotency(keyFor(i), kNow);
            QCOMPARE(found.status, KeyLookup::Status::Found);
            QCOMPARE(found.row.response, responseFor(i));
            QCOMPARE(found.row.canonicalHash, hashFor(i));
        }
    }

    void twentyRandomOverwritesAreRefused_data() {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 1; seed <= 8; ++seed) {
            QTest::addRow("seed %u", seed) << seed;
        }
    }
    void twentyRandomOverwritesAreRefused() {
        QFETCH(quint32, seed);
        overwriteRandomly(path(), seed, 20, 16);
        verifyRefused("cannot be trusted");
    }

    // One overwrite can land where nothing reads it (free space in a page, a trail payload). The
    // promise is about keys: the open is refused, or every key is still there, byte for byte.
    void anyOneOverwriteIsRefusedOrHarmlessToKeys_data() {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 100; seed < 140; ++seed) {
            QTest::addRow("seed %u", seed) << seed;
        }
    }
    void anyOneOverwriteIsRefusedOrHarmlessToKeys() {
        QFETCH(quint32, seed);
        overwriteRandomly(path(), seed, 1, 16);
        QString error;
        auto store = AuditStore::open(options(path()), &error);
        if (!store) {
            QVERIFY2(error.contains("cannot be trusted"), qPrintable(error));
            return;
        }
        QCOMPARE(store->storedKeyCount(), 2000);
        for (int i = 0; i < 2000; ++i) {
            const KeyLookup found = store->findIdempotency(keyFor(i), kNow);
            QVERIFY2(found.status == KeyLookup::Status::Found, qPrintable(keyFor(i) + " " + found.error));
            QCOMPARE(found.row.response, responseFor(i));
            QCOMPARE(found.row.canonicalHash, hashFor(i));
        }
    }

    void garbageRowsAreRefused() {
        RawDatabase db(path());
        QVERIFY(
            db.exec("INSERT INTO idempotency (key, hash, response, stored_at_ms, checksum) "
                    "VALUES ('zzz', x'00ff', x'deadbeef', 12, 0)"));
        verifyRefused(
            "1 of 2001 idempotency rows are damaged; the first is rowid 2001 (key \"zzz\"): its bytes do "
            "not match their checksum");
    }

    void unparseableStoredResponsesAreRefused() {
        RawDatabase db(path());
        QVERIFY(db.exec("UPDATE idempotency SET response = CAST('not json' AS BLOB) WHERE rowid % 2 = 0"));
        verifyRefused("1000 of 2000 idempotency rows are damaged");
    }

    // Even with a checksum that matches (written by something that knew how), the payments
    // layer's validator is asked about every row.
    void aResponseThePaymentsLayerCannotReadIsRefused() {
        RawDatabase db(path());
        const std::int64_t checksum =
            idempotencyRowChecksum(keyFor(7).toUtf8(), hashFor(7), kGarbageResponse, kNow);
        QVERIFY(db.exec("UPDATE idempotency SET response = CAST('" + kGarbageResponse +
                        "' AS BLOB), stored_at_ms = " + QByteArray::number(kNow) + ", checksum = " +
                        QByteArray::number(checksum) + " WHERE key = '" + keyFor(7).toUtf8() + "'"));
        verifyRefused("the stored response is not JSON");
    }

    void nonNumericTimestampsAreRefused() {
        RawDatabase db(path());
        QVERIFY(db.exec("UPDATE idempotency SET stored_at_ms = 'yesterday'"));
        verifyRefused(
            "2000 of 2000 idempotency rows are damaged; the first is rowid 1 (key \"order-000000\"): "
            "stored_at_ms is text, not a number");
    }

    void aTruncatedFileIsRefused_data() {
        QTest::addColumn<double>("kept");
        QTest::newRow("to 90 %") << 0.9;
        QTest::newRow("to half") << 0.5;
        QTest::newRow("to a tenth") << 0.1;
    }
    void aTruncatedFileIsRefused() {
        QFETCH(double, kept);
        truncateTo(path(), kept);
        verifyRefused("cannot be trusted");
    }

    void aFileTruncatedToNothingIsRefused() {
        truncateTo(path(), 0);
        verifyRefused("the file exists but is empty");
    }

    void aDroppedTableIsRefused_data() {
        QTest::addColumn<QString>("table");
        for (const char* table :
             {"idempotency", "audit_events", "rollouts", "audit_minutes", "policy_versions"}) {
            QTest::newRow(table) << table;
        }
    }
    void aDroppedTableIsRefused() {
        QFETCH(QString, table);
        {
            RawDatabase db(path());
            QVERIFY(db.exec("DROP TABLE " + table.toUtf8()));
        }
        verifyRefused("table " + table + " is missing");
    }

    void aMissingColumnIsRefused() {
        {
            RawDatabase db(path());
            QVERIFY(db.exec("ALTER TABLE idempotency DROP COLUMN checksum"));
        }
        verifyRefused("table idempotency has no column checksum");
    }

    void aFileThatIsNotADatabaseIsRefused() {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray(65536, 'x'));
        file.close();
        verifyRefused("file is not a database");
    }

    void aNewerSchemaIsRefused() {
        {
            RawDatabase db(path());
            QVERIFY(db.exec("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (99, 0)"));
        }
        verifyRefused("schema version 99; this build knows versions 1 to 2");
    }

    void theFullIntegrityCheckRunsOnRequest() {
        QString error;
        AuditStore::Options o = options(path());
        o.fullIntegrityCheck = true;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        store.reset();
        overwriteRandomly(path(), 1, 20, 16);
        QVERIFY(!AuditStore::open(o, &error));
        QVERIFY2(error.contains("cannot be trusted"), qPrintable(error));
    }

    // Issue 14: a dropped table used to start the server, and every commit then failed.
    void nothingIsWrittenToARefusedFile() {
        {
            RawDatabase db(path());
            QVERIFY(db.exec("UPDATE idempotency SET stored_at_ms = 'x' WHERE rowid = 5"));
        }
        QFile before(path());
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray bytes = before.readAll();
        before.close();
        QString error;
        QVERIFY(!AuditStore::open(options(path()), &error));
        QFile after(path());
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), bytes);
    }
};

QTEST_GUILESS_MAIN(TestAuditIntegrity)
#include "tst_audit_integrity.moc"
