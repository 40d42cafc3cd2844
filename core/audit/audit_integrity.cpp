#include "audit/audit_integrity.h"

#include "audit/audit_schema.h"
#include "audit/row_checksum.h"
#include "audit/sqlite_connection.h"

#include <sqlite3.h>

#include <QStringList>

namespace tai {

namespace {

constexpr int kMaxKeyBytes = 1024;  // keys are 1–255 characters (§4.4); anything longer is damage

QString typeName(int type) {
    switch (type) {
        case SQLITE_INTEGER:
            return QStringLiteral("an integer");
        case SQLITE_FLOAT:
            return QStringLiteral("a real number");
        case SQLITE_TEXT:
            return QStringLiteral("text");
        case SQLITE_BLOB:
            return QStringLiteral("a blob");
        default:
            return QStringLiteral("NULL");
    }
}

QString structureProblem(SqliteConnection& db, const char* pragma) {
    QString error;
    SqliteStatement check = db.prepare(pragma, &error);
    if (!check.valid()) {
        return QStringLiteral("it cannot be checked: ") + error;
    }
    QStringList messages;
    int rc;
    while ((rc = check.step()) == SQLITE_ROW) {
        messages << check.text(0);
    }
    if (rc != SQLITE_DONE) {
        return QStringLiteral("its structure check stopped: ") + db.errorText();
    }
    if (messages == QStringList{QStringLiteral("ok")}) {
        return {};
    }
    return QStringLiteral("%1 reports: %2")
        .arg(QString::fromUtf8(pragma).mid(7), messages.join(QStringLiteral("; ")));
}

QString quoted(const QByteArray& key) {
    QString text = QString::fromUtf8(key.left(64));
    for (QChar& c : text) {
        if (!c.isPrint()) {
            c = QChar(u'?');
        }
    }
    return QLatin1Char('"') + text + (key.size() > 64 ? QStringLiteral("…\"") : QStringLiteral("\""));
}

}  // namespace

QString checkStoredKeyRow(const StoredKeyRow& s) {
    if (s.keyType != SQLITE_TEXT || s.keyUtf8.isEmpty() || s.keyUtf8.size() > kMaxKeyBytes) {
        return QStringLiteral("the key is %1 of %2 bytes, not a key")
            .arg(typeName(s.keyType))
            .arg(s.keyUtf8.size());
    }
    if (s.storedAtType != SQLITE_INTEGER) {
        return QStringLiteral("stored_at_ms is %1, not a number").arg(typeName(s.storedAtType));
    }
    if (s.row.storedAtMs < 0) {
        return QStringLiteral("stored_at_ms is negative");
    }
    const bool bytesType = [](int t) {
        return t == SQLITE_BLOB || t == SQLITE_TEXT;
    }(s.hashType);
    if (!bytesType || s.row.canonicalHash.isEmpty()) {
        return QStringLiteral("the request hash is %1, empty or missing").arg(typeName(s.hashType));
    }
    if ((s.responseType != SQLITE_BLOB && s.responseType != SQLITE_TEXT) || s.row.response.isEmpty()) {
        return QStringLiteral("the stored response is %1, empty or missing").arg(typeName(s.responseType));
    }
    if (s.hasChecksum) {
        if (s.checksumType != SQLITE_INTEGER) {
            return QStringLiteral("its checksum is %1").arg(typeName(s.checksumType));
        }
        if (idempotencyRowChecksum(s.keyUtf8, s.row.canonicalHash, s.row.response, s.row.storedAtMs) !=
            s.checksum) {
            return QStringLiteral("its bytes do not match their checksum");
        }
    }
    return {};
}

IntegrityReport verifyAuditDatabase(SqliteConnection& db, int version, bool full,
                                    const IdempotencyRowValidator& validate) {
    IntegrityReport report;
    report.problem = structureProblem(db, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    if (!report.problem.isEmpty()) {
        return report;
    }
    report.problem = AuditSchema::missingTablesOrColumns(db, version);
    if (!report.problem.isEmpty()) {
        return report;
    }
    if (!full) {
        // quick_check does not compare an index with its table: a damaged key index would hide
        // stored keys from the lookups that go through it.
        report.problem = structureProblem(db, "PRAGMA integrity_check(idempotency)");
        if (!report.problem.isEmpty()) {
            return report;
        }
    }
    const char* sql = version >= 2
                          ? "SELECT rowid, key, hash, response, stored_at_ms, checksum FROM idempotency"
                          : "SELECT rowid, key, hash, response, stored_at_ms FROM idempotency";
    QString error;
    SqliteStatement rows = db.prepare(sql, &error);
    if (!rows.valid()) {
        report.problem = QStringLiteral("the idempotency table cannot be read: ") + error;
        return report;
    }
    QString first;
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        ++report.keysChecked;
        StoredKeyRow stored;
        // Types first: reading a value as bytes converts it.
        stored.keyType = rows.type(1);
        stored.hashType = rows.type(2);
        stored.responseType = rows.type(3);
        stored.storedAtType = rows.type(4);
        stored.keyUtf8 = rows.bytes(1);
        stored.row.canonicalHash = rows.bytes(2);
        stored.row.response = rows.bytes(3);
        stored.row.storedAtMs = rows.integer(4);
        if (version >= 2) {
            stored.hasChecksum = true;
            stored.checksumType = rows.type(5);
            stored.checksum = rows.integer(5);
        }
        QString why = checkStoredKeyRow(stored);
        if (why.isEmpty() && validate) {
            stored.row.key = QString::fromUtf8(stored.keyUtf8);
            why = validate(stored.row);
        }
        if (!why.isEmpty()) {
            if (++report.keysDamaged == 1) {
                first = QStringLiteral("rowid %1 (key %2): %3")
                            .arg(rows.integer(0))
                            .arg(quoted(stored.keyUtf8), why);
            }
        }
    }
    if (rc != SQLITE_DONE) {
        report.problem = QStringLiteral("the idempotency table cannot be read to the end (after %1 rows): %2")
                             .arg(report.keysChecked)
                             .arg(db.errorText());
        return report;
    }
    if (report.keysDamaged > 0) {
        report.problem = QStringLiteral("%1 of %2 idempotency rows are damaged; the first is %3")
                             .arg(report.keysDamaged)
                             .arg(report.keysChecked)
                             .arg(first);
    }
    return report;
}

}  // namespace tai
