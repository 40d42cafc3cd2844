// `audit recover` (issue 14 item 2): what can be read is copied to a new file, the damaged one is
// set aside, and the counts say what was recovered and what was lost.
#include "audit/audit_recovery.h"
#include "audit/audit_store.h"
#include "audit_fixture.h"
#include "raw_database.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace tai;
using namespace audit_fixture;

namespace {
constexpr std::int64_t kWallNow = 1'767'225'600'000 + 3'600'000;  // an hour after the rows

RecoveryOptions recoveryOptions() {
    RecoveryOptions o;
    o.validateKey = validate;
    o.nowMs = kWallNow;
    return o;
}

const TableRecovery& table(const RecoveryReport& report, const QString& name) {
    for (const TableRecovery& t : report.tables) {
        if (t.table == name) {
            return t;
        }
    }
    static const TableRecovery none;
    return none;
}
}  // namespace

class TestAuditRecovery : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    QString path() const { return dir.filePath("audit.sqlite"); }

    // The recovered file opens through every check, and each key it has is exactly the original.
    int verifyRecoveredKeys() {
        QString error;
        auto store = AuditStore::open(options(path()), &error);
        if (!store) {
            qWarning("the recovered file does not open: %s", qPrintable(error));
            return -1;
        }
        int found = 0;
        for (int i = 0; i < 2000; ++i) {
            const KeyLookup key = store->findIdempotency(keyFor(i), kNow);
            if (key.status == KeyLookup::Status::Found) {
                if (key.row.response != responseFor(i) || key.row.canonicalHash != hashFor(i)) {
                    qWarning("%s came back different", qPrintable(keyFor(i)));
                    return -1;
                }
                ++found;
            }
        }
        return found;
    }

private Q_SLOTS:
    void init() {
        const QStringList leftovers = QDir(dir.path()).entryList(QDir::Files);
        for (const QString& name : leftovers) {
            QFile::remove(dir.filePath(name));
        }
        populate(path(), 2000, 200);
    }

    void anIntactDatabaseIsCopiedWhole() {
        const RecoveryReport report = recoverAuditDatabase(path(), recoveryOptions());
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(table(report, "idempotency").recovered, 2000);
        QCOMPARE(table(report, "idempotency").lost, 0);
        QCOMPARE(table(report, "audit_events").recovered, 2200);
        QCOMPARE(table(report, "audit_events").lost, 0);
        QCOMPARE(verifyRecoveredKeys(), 2000);
        QString error;
        auto store = AuditStore::open(options(path()), &error);
        AuditQuery all;
        all.limit = 100'000;
        const auto events = store->query(all);
        QCOMPARE(events.size(), std::size_t{2200});
        QCOMPARE(events.front().row.policyVersion, QStringLiteral("v1"));
        QCOMPARE(events.front().seq, 1);
        QCOMPARE(events.back().seq, 2200);
    }

    void theDamagedFileIsSetAsideUnderATimestampedName() {
        overwriteRandomly(path(), 3, 20, 16);
        QFile damaged(path());
        QVERIFY(damaged.open(QIODevice::ReadOnly));
        const QByteArray bytes = damaged.readAll();
        damaged.close();
        const RecoveryReport report = recoverAuditDatabase(path(), recoveryOptions());
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.damagedMovedTo, path() + ".damaged-20260101T010000Z");
        QFile aside(report.damagedMovedTo);
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), bytes);  // never written to
        QCOMPARE(QFileInfo(report.damagedMovedTo).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFileDevice::Permissions{});
        QVERIFY(report.summary().contains(report.damagedMovedTo));
    }

    void randomOverwritesRecoverTheReadableRowsAndCountTheRest_data() {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 1; seed <= 8; ++seed) {
            QTest::addRow("seed %u", seed) << seed;
        }
    }
    void randomOverwritesRecoverTheReadableRowsAndCountTheRest() {
        QFETCH(quint32, seed);
        overwriteRandomly(path(), seed, 20, 16);
        const RecoveryReport report = recoverAuditDatabase(path(), recoveryOptions());
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        const TableRecovery& keys = table(report, "idempotency");
        const int found = verifyRecoveredKeys();
        QCOMPARE(found, static_cast<int>(keys.recovered));
        if (!keys.lostIsEstimate) {
            QCOMPARE(keys.recovered + keys.lost, 2000);
        } else {
            QVERIFY(keys.recovered + keys.lost >= 2000);
        }
        QVERIFY2(keys.recovered > 1000, qPrintable(report.summary()));  // 20 × 16 bytes do not take half
        qInfo("seed %u:\n%s", seed, qPrintable(report.summary()));
    }

    void rowsThatFailTheirChecksAreLeftBehindAndCounted() {
        {
            RawDatabase db(path());
            QVERIFY(db.exec("UPDATE idempotency SET stored_at_ms = 'noon' WHERE rowid <= 10"));
            QVERIFY(db.exec("UPDATE idempotency SET response = CAST('not json' AS BLOB) WHERE rowid > 1990"));
        }
        const RecoveryReport report = recoverAuditDatabase(path(), recoveryOptions());
        QCOMPARE(table(report, "idempotency").recovered, 1980);
        QCOMPARE(table(report, "idempotency").lost, 20);
        QVERIFY(!table(report, "idempotency").lostIsEstimate);
        QCOMPARE(verifyRecoveredKeys(), 1980);
        QVERIFY2(report.summary().contains("up to 20 idempotency keys are gone"),
                 qPrintable(report.summary()));
    }

    // SQLite refuses a truncated file whole; the pages that are left still hold rows.
    void aTruncatedFileGivesUpItsReadablePart() {
        truncateTo(path(), 0.5);
        const RecoveryReport report = recoverAuditDatabase(path(), recoveryOptions());
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        const int found = verifyRecoveredKeys();
        QCOMPARE(found, static_cast<int>(table(report, "idempotency").recovered));
        QVERIFY2(found > 0, qPrintable(report.summary()));
        QVERIFY2(table(report, "audit_events").recovered > 0, qPrintable(report.summary()));
        const TableRecovery& keys = table(report, "idempotency");
        QVERIFY(keys.restUnreachable || keys.recovered + keys.lost >= 2000);
        QVERIFY(report.summary().contains("idempotency keys are gone"));
        QVERIFY(!QFile::exists(path() + ".reading"));
        qInfo("%s", qPrintable(report.summary()));
    }

    // The decision rows carry what the key row held, so the payments layer can rebuild lost keys.
    void lostKeysAreRebuiltFromTheirDecisions() {
        {
            RawDatabase db(path());
            QVERIFY(db.exec("DROP TABLE idempotency"));
        }
        RecoveryOptions o = recoveryOptions();
        o.keyFromDecision = [](const AuditRow& row) -> std::optional<IdempotencyRow> {
            const QJsonObject payload = QJsonDocument::fromJson(row.payload).object();
            const QString key = payload.value("idempotency_key").toString();
            if (row.kind != u"decision" || key.isEmpty()) {
                return std::nullopt;
            }
            const int i = key.mid(6).toInt();
            return IdempotencyRow{key, hashFor(i), responseFor(i), row.atMs};
        };
        const RecoveryReport report = recoverAuditDatabase(path(), o);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(table(report, "idempotency").recovered, 0);
        QCOMPARE(report.keysRebuilt, 2000);
        QCOMPARE(verifyRecoveredKeys(), 2000);
    }

    void aMissingFileIsAnErrorAndChangesNothing() {
        const RecoveryReport report = recoverAuditDatabase(dir.filePath("none.sqlite"), recoveryOptions());
        QCOMPARE(report.error, "no audit database at " + dir.filePath("none.sqlite"));
        QVERIFY(!QFile::exists(dir.filePath("none.sqlite")));
    }
};

QTEST_GUILESS_MAIN(TestAuditRecovery)
#include "tst_audit_recovery.moc"
