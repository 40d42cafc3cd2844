#include "audit/audit_recovery.h"

#include "audit/audit_schema.h"
#include "audit/private_files.h"
#include "audit/recovery_target.h"
#include "audit/row_checksum.h"
#include "audit/rowid_scanner.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QStringList>

#include <spdlog/spdlog.h>

#include <limits>
#include <map>

namespace tai {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

QString grouped(std::int64_t n) {
    return QLocale(QLocale::English)
        .toString(static_cast<qlonglong>(n))
        .replace(QLatin1Char(','), QChar(0x202F));
}

// A truncated file still says in its header how many pages it had; SQLite then refuses the whole
// file as malformed. The private copy is cut to whole pages and its header told the truth, so the
// pages that are there can be read.
bool copyForReading(const QString& path, const QString& copy, QString* error) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        QFile::remove(copy + QLatin1String(suffix));
    }
    for (const char* suffix : {"", "-wal"}) {
        const QString from = path + QLatin1String(suffix);
        if (QFile::exists(from) && !QFile::copy(from, copy + QLatin1String(suffix))) {
            *error = QStringLiteral("cannot copy %1 to read it").arg(from);
            return false;
        }
    }
    QFile file(copy);
    if (!file.open(QIODevice::ReadWrite)) {
        *error = QStringLiteral("cannot open the copy %1").arg(copy);
        return false;
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    const QByteArray header = file.read(100);
    if (header.size() < 100 || !header.startsWith("SQLite format 3")) {
        return true;  // not something to correct; SQLite says what it is
    }
    const auto byteAt = [&header](int i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(header[i]));
    };
    std::uint32_t pageSize = (byteAt(16) << 8) | byteAt(17);
    pageSize = pageSize == 1 ? 65536 : pageSize;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0) {
        return true;
    }
    const std::uint32_t pages = static_cast<std::uint32_t>(file.size() / pageSize);
    const std::uint32_t claimed = (byteAt(28) << 24) | (byteAt(29) << 16) | (byteAt(30) << 8) | byteAt(31);
    if (pages < claimed) {
        file.resize(static_cast<qint64>(pages) * pageSize);
        const char count[4] = {static_cast<char>(pages >> 24), static_cast<char>(pages >> 16),
                               static_cast<char>(pages >> 8), static_cast<char>(pages)};
        file.seek(28);
        file.write(count, 4);
        spdlog::warn("audit recovery: {} holds {} of the {} pages its header names (truncated)",
                     path.toStdString(), pages, claimed);
    }
    return true;
}

void removeCopy(const QString& copy) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        QFile::remove(copy + QLatin1String(suffix));
    }
}

// Opened for reading only in effect: no writes, no checkpoint when it closes.
std::optional<SqliteConnection> openDamaged(const QString& path, QString* error) {
    auto db = SqliteConnection::open(path, SqliteConnection::Access::ReadWrite, error);
    if (!db) {
        return db;
    }
    sqlite3_db_config(db->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    db->exec("PRAGMA query_only=1", nullptr);
    db->exec("PRAGMA cell_size_check=ON", nullptr);
    return db;
}

bool hasColumn(SqliteConnection& db, const char* table, const char* column) {
    QString ignored;
    SqliteStatement info = db.prepare("SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?", &ignored);
    if (!info.valid()) {
        return false;
    }
    const QByteArray t(table);
    const QByteArray c(column);
    info.bindText(1, t);
    info.bindText(2, c);
    return info.step() == SQLITE_ROW && info.integer(0) > 0;
}

std::optional<std::int64_t> countRows(SqliteConnection& db, const char* sql) {
    QString ignored;
    return db.queryInteger(sql, &ignored);
}

void finishTable(TableRecovery& table, std::int64_t read, std::int64_t damaged,
                 std::optional<std::int64_t> count, const RowidScanner& scanner) {
    if (!scanner.valid()) {
        table.unreadable = scanner.error();
        table.lostIsEstimate = true;
        return;
    }
    table.lost = damaged;
    if (count) {
        table.lost += std::max<std::int64_t>(0, *count - read);
    } else {
        table.lost += scanner.unreadableRowids();
        table.lostIsEstimate = true;
        table.restUnreachable = scanner.unreadableTail();
    }
}

}  // namespace

QString RecoveryReport::summary() const {
    QStringList lines;
    std::int64_t keysLost = 0;
    for (const TableRecovery& t : tables) {
        if (!t.unreadable.isEmpty()) {
            lines << QStringLiteral("  %1: could not be read at all (%2); how many rows it had is unknown")
                         .arg(t.table, t.unreadable);
            keysLost = t.table == u"idempotency" ? std::numeric_limits<std::int64_t>::max() : keysLost;
            continue;
        }
        if (t.restUnreachable) {
            lines << QStringLiteral(
                         "  %1: %2 rows recovered, at least %3 lost, and the rest of the table could not be "
                         "reached (how many rows it held is unknown)")
                         .arg(t.table, grouped(t.recovered), grouped(t.lost));
            keysLost = t.table == u"idempotency" ? std::numeric_limits<std::int64_t>::max() : keysLost;
            continue;
        }
        lines << QStringLiteral("  %1: %2 rows recovered, %3%4 lost")
                     .arg(t.table, grouped(t.recovered),
                          t.lostIsEstimate ? QStringLiteral("up to ") : QString(), grouped(t.lost));
        if (t.table == u"idempotency") {
            keysLost = t.lost;
        }
    }
    if (keysRebuilt > 0) {
        lines << QStringLiteral("  %1 idempotency keys rebuilt from the decisions in the trail")
                     .arg(grouped(keysRebuilt));
    }
    if (keysLost == std::numeric_limits<std::int64_t>::max()) {
        lines << QStringLiteral(
            "  warning: an unknown number of idempotency keys are gone; a retry of an earlier payment within "
            "24 h "
            "could be charged again");
    } else if (keysLost > keysRebuilt) {
        lines << QStringLiteral(
                     "  warning: up to %1 idempotency keys are gone; a retry with one of them within 24 h "
                     "would be "
                     "charged again")
                     .arg(grouped(keysLost - keysRebuilt));
    }
    lines << QStringLiteral("  the damaged file was moved to %1").arg(damagedMovedTo);
    return lines.join(QLatin1Char('\n'));
}

RecoveryReport recoverAuditDatabase(const QString& path, const RecoveryOptions& options) {
    RecoveryReport report;
    if (!QFile::exists(path)) {
        report.error = QStringLiteral("no audit database at %1").arg(path);
        return report;
    }
    QString error;
    const QString reading = path + QStringLiteral(".reading");
    if (!copyForReading(path, reading, &error)) {
        removeCopy(reading);
        report.error = error;
        return report;
    }
    auto source = openDamaged(reading, &error);
    if (!source) {
        removeCopy(reading);
        report.error = QStringLiteral("cannot open %1: %2").arg(path, error);
        return report;
    }
    const QString building = path + QStringLiteral(".recovering");
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        QFile::remove(building + QLatin1String(suffix));
    }
    if (!ensurePrivateFile(building, true, &error)) {
        source.reset();
        removeCopy(reading);
        report.error = error;
        return report;
    }
    RecoveryTarget target;
    if (!target.open(building, options.nowMs, &error)) {
        report.error = QStringLiteral("cannot create %1: %2").arg(building, error);
        target.close();
        source.reset();
        removeCopy(reading);
        removeCopy(building);
        return report;
    }

    const bool version1 = hasColumn(*source, "audit_events", "policy_version");
    // Version 2 names policy versions by number: read that table first (what of it can be read).
    QHash<std::int64_t, QString> policyNames;
    if (!version1) {
        RowidScanner policies(*source, "SELECT id, version FROM policy_versions WHERE id >= ? ORDER BY id");
        if (policies.valid()) {
            policies.scan([&](SqliteStatement& s) { policyNames.insert(s.integer(0), s.text(1)); });
        }
    }

    const auto stillFresh = [&](std::int64_t storedAtMs) {
        return options.nowMs == 0 || storedAtMs > options.nowMs - kDayMs;
    };
    std::int64_t seqFloor = 0;
    if (const auto floor = countRows(*source, "SELECT value FROM audit_meta WHERE name = 'seq_floor'")) {
        seqFloor = *floor;
    }
    // Stored key rows first: a key rebuilt from the trail only fills in for one that is gone.
    {
        TableRecovery table;
        table.table = QStringLiteral("idempotency");
        const bool checksummed = hasColumn(*source, "idempotency", "checksum");
        RowidScanner keys(*source, checksummed
                                       ? "SELECT rowid, key, hash, response, stored_at_ms, checksum FROM "
                                         "idempotency WHERE rowid >= ? ORDER BY rowid"
                                       : "SELECT rowid, key, hash, response, stored_at_ms FROM idempotency "
                                         "WHERE rowid >= ? ORDER BY rowid");
        std::int64_t read = 0;
        std::int64_t damaged = 0;
        if (keys.valid()) {
            keys.scan([&](SqliteStatement& s) {
                ++read;
                StoredKeyRow stored;
                stored.keyType = s.type(1);
                stored.hashType = s.type(2);
                stored.responseType = s.type(3);
                stored.storedAtType = s.type(4);
                stored.keyUtf8 = s.bytes(1);
                stored.row.canonicalHash = s.bytes(2);
                stored.row.response = s.bytes(3);
                stored.row.storedAtMs = s.integer(4);
                if (checksummed) {
                    stored.hasChecksum = true;
                    stored.checksumType = s.type(5);
                    stored.checksum = s.integer(5);
                }
                stored.row.key = QString::fromUtf8(stored.keyUtf8);
                QString why = checkStoredKeyRow(stored);
                if (why.isEmpty() && options.validateKey) {
                    why = options.validateKey(stored.row);
                }
                if (!why.isEmpty()) {
                    ++damaged;
                    return;
                }
                ++table.recovered;
                if (!target.addKey(stored.row, false)) {
                    ++damaged;
                    --table.recovered;
                }
            });
        }
        finishTable(table, read, damaged, countRows(*source, "SELECT COUNT(*) FROM idempotency"), keys);
        report.tables.push_back(table);
    }
    {
        TableRecovery table;
        table.table = QStringLiteral("audit_events");
        RowidScanner events(
            *source, version1 ? "SELECT seq, at_ms, trace_id, kind, subject, payload, policy_version, "
                                "typeof(at_ms), typeof(kind) FROM audit_events WHERE seq >= ? ORDER BY seq"
                              : "SELECT seq, at_ms, trace_id, kind, subject, payload, policy, "
                                "typeof(at_ms), typeof(kind) FROM audit_events WHERE seq >= ? ORDER BY seq");
        std::int64_t read = 0;
        std::int64_t damaged = 0;
        if (events.valid()) {
            events.scan([&](SqliteStatement& s) {
                ++read;
                if (s.text(7) != u"integer" || s.text(8) != u"text") {
                    ++damaged;
                    return;
                }
                AuditRow row{s.integer(1), s.text(2),
                             s.text(3),    s.text(4),
                             s.bytes(5),   version1 ? s.text(6) : policyNames.value(s.integer(6))};
                if (!target.addEvent(s.integer(0), row)) {
                    ++damaged;
                    return;
                }
                ++table.recovered;
                if (options.keyFromDecision) {
                    if (auto key = options.keyFromDecision(row); key && stillFresh(key->storedAtMs)) {
                        const bool valid = !options.validateKey || options.validateKey(*key).isEmpty();
                        if (valid && target.addKey(*key, true)) {
                            ++report.keysRebuilt;  // only keys whose stored row was not recovered
                        }
                    }
                }
            });
        }
        finishTable(table, read, damaged, countRows(*source, "SELECT COUNT(*) FROM audit_events"), events);
        report.tables.push_back(table);
    }
    {
        TableRecovery table;
        table.table = QStringLiteral("rollouts");
        RowidScanner rollouts(
            *source, "SELECT rowid, id, status, state FROM rollouts WHERE rowid >= ? ORDER BY rowid");
        std::int64_t read = 0;
        std::int64_t damaged = 0;
        if (rollouts.valid()) {
            rollouts.scan([&](SqliteStatement& s) {
                ++read;
                if (target.addRollout(s.text(1), s.text(2), s.bytes(3))) {
                    ++table.recovered;
                } else {
                    ++damaged;
                }
            });
        }
        finishTable(table, read, damaged, countRows(*source, "SELECT COUNT(*) FROM rollouts"), rollouts);
        report.tables.push_back(table);
    }
    if (!target.finish(seqFloor, &error)) {
        report.error = QStringLiteral("cannot write %1: %2").arg(building, error);
        target.close();
        source.reset();
        removeCopy(reading);
        removeCopy(building);
        return report;
    }
    target.close();
    source.reset();
    removeCopy(reading);

    // Set the damaged file aside under a name that says when, then put the new one in its place.
    const QString stamp = QDateTime::fromMSecsSinceEpoch(options.nowMs, Qt::UTC)
                              .toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    report.damagedMovedTo = path + QStringLiteral(".damaged-") + stamp;
    for (int n = 2; QFile::exists(report.damagedMovedTo); ++n) {
        report.damagedMovedTo = path + QStringLiteral(".damaged-") + stamp + QStringLiteral("-%1").arg(n);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const QString from = path + QLatin1String(suffix);
        if (QFile::exists(from) && !QFile::rename(from, report.damagedMovedTo + QLatin1String(suffix))) {
            report.error = QStringLiteral("cannot move %1 aside").arg(from);
            return report;
        }
    }
    for (const char* suffix : {"-wal", "-shm"}) {
        QFile::remove(building + QLatin1String(suffix));
    }
    if (!QFile::rename(building, path)) {
        report.error = QStringLiteral("cannot move %1 to %2").arg(building, path);
        return report;
    }
    spdlog::warn("audit recovery: {} recovered; the damaged file is {}", path.toStdString(),
                 report.damagedMovedTo.toStdString());
    return report;
}

}  // namespace tai
