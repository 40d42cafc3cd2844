#include "audit/audit_integrity.h"

#include "audit/audit_schema.h"
#include "audit/row_checksum.h"
#include "audit/sqlite_connection.h"

#include <sqlite3.h>

#include <QStringList>

#include <algorithm>
#include <cstring>
#include <future>
#include <thread>
#include <vector>

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

QString structureProblem(const QString& name, const char* pragma) {
    QString error;
    auto db = SqliteConnection::open(name, SqliteConnection::Access::ReadOnly, &error);
    return db ? structureProblem(*db, pragma) : QStringLiteral("it cannot be opened to check it: ") + error;
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

namespace {

// One slice of the key table, read on its own connection and thread.
struct KeyScan {
    std::int64_t rows = 0;
    std::int64_t damaged = 0;
    std::uint64_t keySum = 0;  // order-free digest of the keys, compared with the index's
    std::int64_t firstRowid = 0;
    QString first;  // the first damaged row, described
    QString error;  // the slice could not be read
};

struct IndexScan {
    std::int64_t entries = 0;
    std::uint64_t keySum = 0;
    QString problem;
};

std::uint64_t keyDigest(const QByteArray& key) {
    return static_cast<std::uint64_t>(idempotencyRowChecksum(key, {}, {}, 0));
}

QByteArray rawBytes(SqliteStatement& s, int column) {
    // No copy: the bytes are valid until the next step, which is as long as the checks need them.
    const auto* data = static_cast<const char*>(sqlite3_column_blob(s.handle(), column));
    return QByteArray::fromRawData(data ? data : "", sqlite3_column_bytes(s.handle(), column));
}

KeyScan scanKeys(const QString& name, int version, std::int64_t fromRowid, std::int64_t toRowid,
                 const IdempotencyRowValidator& validate) {
    KeyScan scan;
    auto db = SqliteConnection::open(name, SqliteConnection::Access::ReadOnly, &scan.error);
    if (!db) {
        return scan;
    }
    const char* sql = version >= 2
                          ? "SELECT rowid, key, hash, response, stored_at_ms, checksum FROM idempotency "
                            "WHERE rowid >= ? AND rowid < ?"
                          : "SELECT rowid, key, hash, response, stored_at_ms FROM idempotency "
                            "WHERE rowid >= ? AND rowid < ?";
    SqliteStatement rows = db->prepare(sql, &scan.error);
    if (!rows.valid()) {
        return scan;
    }
    rows.bind(1, fromRowid);
    rows.bind(2, toRowid);
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        ++scan.rows;
        StoredKeyRow stored;
        stored.keyType = rows.type(1);  // types first: reading a value as bytes converts it
        stored.hashType = rows.type(2);
        stored.responseType = rows.type(3);
        stored.storedAtType = rows.type(4);
        stored.keyUtf8 = rawBytes(rows, 1);
        stored.row.canonicalHash = rawBytes(rows, 2);
        stored.row.response = rawBytes(rows, 3);
        stored.row.storedAtMs = rows.integer(4);
        if (version >= 2) {
            stored.hasChecksum = true;
            stored.checksumType = rows.type(5);
            stored.checksum = rows.integer(5);
        }
        scan.keySum += keyDigest(stored.keyUtf8);
        QString why = checkStoredKeyRow(stored);
        if (why.isEmpty() && validate) {
            stored.row.key = QString::fromUtf8(stored.keyUtf8);
            why = validate(stored.row);
        }
        if (!why.isEmpty() && ++scan.damaged == 1) {
            scan.firstRowid = rows.integer(0);
            scan.first =
                QStringLiteral("rowid %1 (key %2): %3").arg(scan.firstRowid).arg(quoted(stored.keyUtf8), why);
        }
    }
    if (rc != SQLITE_DONE) {
        scan.error = QStringLiteral("cannot be read to the end (after %1 rows of rowids %2 to %3): %4")
                         .arg(scan.rows)
                         .arg(fromRowid)
                         .arg(toRowid - 1)
                         .arg(db->errorText());
    }
    return scan;
}

// quick_check does not compare an index with its table, and a lookup goes through the index: it
// must hold exactly the table's keys, in order. One pass over the index says so, without the
// row-by-row seeks of integrity_check.
IndexScan scanKeyIndex(const QString& name) {
    IndexScan scan;
    auto db = SqliteConnection::open(name, SqliteConnection::Access::ReadOnly, &scan.problem);
    if (!db) {
        return scan;
    }
    // The unique index on the key is SQLite's own (its name follows the table it was made for,
    // which a migration may have renamed since).
    SqliteStatement named = db->prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'idempotency' AND name LIKE "
        "'sqlite_autoindex_%' ORDER BY name LIMIT 1",
        &scan.problem);
    if (!named.valid() || named.step() != SQLITE_ROW) {
        scan.problem = QStringLiteral("the idempotency table has no key index");
        return scan;
    }
    const QByteArray indexName = named.bytes(0);
    named.reset();
    const QByteArray sql = "SELECT key FROM idempotency INDEXED BY \"" + indexName + "\" ORDER BY key";
    SqliteStatement keys = db->prepare(sql.constData(), &scan.problem);
    if (!keys.valid()) {
        scan.problem = QStringLiteral("its key index cannot be read: ") + scan.problem;
        return scan;
    }
    QByteArray previous;
    int rc;
    while ((rc = keys.step()) == SQLITE_ROW) {
        const QByteArray key = rawBytes(keys, 0);
        if (scan.entries > 0 &&
            std::memcmp(previous.constData(), key.constData(),
                        static_cast<std::size_t>(std::min(previous.size(), key.size()))) >= 0 &&
            !(previous.size() < key.size() && std::memcmp(previous.constData(), key.constData(),
                                                          static_cast<std::size_t>(previous.size())) == 0)) {
            scan.problem = QStringLiteral("its key index is out of order at entry %1").arg(scan.entries + 1);
            return scan;
        }
        previous = QByteArray(key.constData(), key.size());
        scan.keySum += keyDigest(key);
        ++scan.entries;
    }
    if (rc != SQLITE_DONE) {
        scan.problem = QStringLiteral("its key index cannot be read to the end: ") + db->errorText();
    }
    return scan;
}

}  // namespace

IntegrityReport verifyAuditDatabase(SqliteConnection& db, const QString& name, int version, bool full,
                                    const IdempotencyRowValidator& validate) {
    IntegrityReport report;
    report.problem = AuditSchema::missingTablesOrColumns(db, version);
    if (!report.problem.isEmpty()) {
        return report;
    }
    QString error;
    SqliteStatement range = db.prepare("SELECT MIN(rowid), MAX(rowid) FROM idempotency", &error);
    if (!range.valid() || range.step() != SQLITE_ROW) {
        report.problem = QStringLiteral("the idempotency table cannot be read: ") +
                         (error.isEmpty() ? db.errorText() : error);
        return report;
    }
    const std::int64_t low = range.integer(0);
    const std::int64_t high = range.type(1) == SQLITE_INTEGER ? range.integer(1) + 1 : low;
    range.reset();
    // The checks read the whole file; they run side by side, each on its own connection: the
    // structure check, the key index, and the key rows in slices of the rowid range.
    const int slices = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1, 3);
    std::future<QString> structure = std::async(std::launch::async, [&name, full] {
        return structureProblem(name, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    });
    std::future<IndexScan> index = std::async(std::launch::async, [&name] { return scanKeyIndex(name); });
    std::vector<std::future<KeyScan>> parts;
    const std::int64_t span = (high - low + slices - 1) / slices;
    for (int i = 0; i < slices; ++i) {
        const std::int64_t from = low + i * span;
        const std::int64_t to = i + 1 == slices ? high : std::min(high, from + span);
        parts.push_back(std::async(std::launch::async, [&name, &validate, version, from, to] {
            return scanKeys(name, version, from, to, validate);
        }));
    }
    report.problem = structure.get();
    const IndexScan keyIndex = index.get();
    std::uint64_t keySum = 0;
    QString first;
    QString unreadable;
    for (auto& part : parts) {
        const KeyScan scan = part.get();
        report.keysChecked += scan.rows;
        report.keysDamaged += scan.damaged;
        keySum += scan.keySum;
        if (first.isEmpty()) {
            first = scan.first;
        }
        if (unreadable.isEmpty()) {
            unreadable = scan.error;
        }
    }
    if (!report.problem.isEmpty()) {
        return report;
    }
    if (!unreadable.isEmpty()) {
        report.problem = QStringLiteral("the idempotency table ") + unreadable;
    } else if (report.keysDamaged > 0) {
        report.problem = QStringLiteral("%1 of %2 idempotency rows are damaged; the first is %3")
                             .arg(report.keysDamaged)
                             .arg(report.keysChecked)
                             .arg(first);
    } else if (!keyIndex.problem.isEmpty()) {
        report.problem = keyIndex.problem;
    } else if (keyIndex.entries != report.keysChecked || keyIndex.keySum != keySum) {
        report.problem =
            QStringLiteral("its key index does not match the idempotency table (%1 entries for %2 rows%3)")
                .arg(keyIndex.entries)
                .arg(report.keysChecked)
                .arg(keyIndex.entries == report.keysChecked ? QStringLiteral(", different keys") : QString());
    }
    return report;
}

}  // namespace tai
