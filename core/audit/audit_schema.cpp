#include "audit/audit_schema.h"

#include "audit/row_checksum.h"
#include "audit/sqlite_connection.h"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

#include <QStringList>

namespace tai::AuditSchema {

namespace {

const char* const kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER)";

// Version 1, written through Qt SQL: AUTOINCREMENT, four secondary indexes on every row, text hashes.
const std::vector<const char*> kVersion1 = {
    "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, "
    "trace_id TEXT, kind TEXT NOT NULL, subject TEXT, payload TEXT, policy_version TEXT)",
    "CREATE INDEX audit_kind ON audit_events(kind, seq)",
    "CREATE INDEX audit_subject ON audit_events(subject, seq)",
    "CREATE INDEX audit_trace ON audit_events(trace_id)",
    "CREATE INDEX audit_time ON audit_events(at_ms)",
    "CREATE TABLE idempotency (key TEXT PRIMARY KEY, hash TEXT NOT NULL, response TEXT NOT NULL, "
    "stored_at_ms INTEGER NOT NULL)",
    "CREATE TABLE rollouts (id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL)",
};

const std::vector<const char*> kCurrent = {
    "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, trace_id TEXT, "
    "kind TEXT NOT NULL, subject TEXT, payload TEXT, policy INTEGER)",
    "CREATE INDEX audit_kind ON audit_events(kind, seq) WHERE kind <> 'decision'",
    "CREATE INDEX audit_subject ON audit_events(subject, seq) WHERE kind <> 'decision'",
    "CREATE INDEX audit_trace ON audit_events(trace_id, seq) WHERE kind <> 'decision'",
    "CREATE TABLE audit_minutes (minute INTEGER PRIMARY KEY, first_seq INTEGER NOT NULL, "
    "last_seq INTEGER NOT NULL)",
    "CREATE TABLE policy_versions (id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE)",
    "CREATE TABLE audit_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE idempotency (key TEXT NOT NULL UNIQUE, hash BLOB NOT NULL, response BLOB NOT NULL, "
    "stored_at_ms INTEGER NOT NULL, checksum INTEGER NOT NULL)",
    "CREATE TABLE rollouts (id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL)",
};

// From version 1: rebuild audit_events without AUTOINCREMENT and with the cheaper indexes, intern
// policy versions, and checksum every idempotency row (the rows were verified before this runs).
const std::vector<const char*> kFrom1To2 = {
    "CREATE TABLE policy_versions (id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE)",
    "INSERT INTO policy_versions (version) SELECT DISTINCT policy_version FROM audit_events "
    "WHERE policy_version IS NOT NULL ORDER BY policy_version",
    "CREATE TABLE audit_events_2 (seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, trace_id TEXT, "
    "kind TEXT NOT NULL, subject TEXT, payload TEXT, policy INTEGER)",
    "INSERT INTO audit_events_2 SELECT e.seq, e.at_ms, e.trace_id, e.kind, e.subject, e.payload, p.id "
    "FROM audit_events e LEFT JOIN policy_versions p ON p.version = e.policy_version ORDER BY e.seq",
    "CREATE TABLE audit_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO audit_meta (name, value) SELECT 'seq_floor', COALESCE((SELECT seq FROM sqlite_sequence "
    "WHERE name = 'audit_events'), 0)",
    "DROP TABLE audit_events",
    "ALTER TABLE audit_events_2 RENAME TO audit_events",
    "CREATE INDEX audit_kind ON audit_events(kind, seq) WHERE kind <> 'decision'",
    "CREATE INDEX audit_subject ON audit_events(subject, seq) WHERE kind <> 'decision'",
    "CREATE INDEX audit_trace ON audit_events(trace_id, seq) WHERE kind <> 'decision'",
    "CREATE TABLE audit_minutes (minute INTEGER PRIMARY KEY, first_seq INTEGER NOT NULL, "
    "last_seq INTEGER NOT NULL)",
    "INSERT INTO audit_minutes SELECT (at_ms - ((at_ms % 60000) + 60000) % 60000) / 60000, MIN(seq), "
    "MAX(seq) "
    "FROM audit_events GROUP BY 1",
    "CREATE TABLE idempotency_2 (key TEXT NOT NULL UNIQUE, hash BLOB NOT NULL, response BLOB NOT NULL, "
    "stored_at_ms INTEGER NOT NULL, checksum INTEGER NOT NULL)",
    "INSERT INTO idempotency_2 (key, hash, response, stored_at_ms, checksum) SELECT key, CAST(hash AS BLOB), "
    "CAST(response AS BLOB), stored_at_ms, tai_row_checksum(key, CAST(hash AS BLOB), CAST(response AS BLOB), "
    "stored_at_ms) FROM idempotency ORDER BY stored_at_ms, rowid",
    "DROP TABLE idempotency",
    "ALTER TABLE idempotency_2 RENAME TO idempotency",
};

struct Table {
    const char* name;
    QStringList columns;
};

std::vector<Table> expectedTables(int version) {
    const Table migrations{"schema_migrations", {QStringLiteral("version"), QStringLiteral("applied_at_ms")}};
    const Table rollouts{"rollouts",
                         {QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("state")}};
    if (version == 1) {
        return {migrations,
                {"audit_events",
                 {QStringLiteral("seq"), QStringLiteral("at_ms"), QStringLiteral("trace_id"),
                  QStringLiteral("kind"), QStringLiteral("subject"), QStringLiteral("payload"),
                  QStringLiteral("policy_version")}},
                {"idempotency",
                 {QStringLiteral("key"), QStringLiteral("hash"), QStringLiteral("response"),
                  QStringLiteral("stored_at_ms")}},
                rollouts};
    }
    return {
        migrations,
        {"audit_events",
         {QStringLiteral("seq"), QStringLiteral("at_ms"), QStringLiteral("trace_id"), QStringLiteral("kind"),
          QStringLiteral("subject"), QStringLiteral("payload"), QStringLiteral("policy")}},
        {"audit_minutes",
         {QStringLiteral("minute"), QStringLiteral("first_seq"), QStringLiteral("last_seq")}},
        {"policy_versions", {QStringLiteral("id"), QStringLiteral("version")}},
        {"audit_meta", {QStringLiteral("name"), QStringLiteral("value")}},
        {"idempotency",
         {QStringLiteral("key"), QStringLiteral("hash"), QStringLiteral("response"),
          QStringLiteral("stored_at_ms"), QStringLiteral("checksum")}},
        rollouts};
}

bool runAll(SqliteConnection& db, const std::vector<const char*>& statements, QString* error) {
    for (const char* sql : statements) {
        if (!db.exec(sql, error)) {
            *error = QString::fromUtf8(sql).left(60) + QStringLiteral("…: ") + *error;
            return false;
        }
    }
    return true;
}

void checksumFunction(sqlite3_context* context, int, sqlite3_value** values) {
    const auto bytesOf = [](sqlite3_value* v) {
        const auto* data = static_cast<const char*>(sqlite3_value_blob(v));
        return QByteArray(data, sqlite3_value_bytes(v));
    };
    sqlite3_result_int64(context, idempotencyRowChecksum(bytesOf(values[0]), bytesOf(values[1]),
                                                         bytesOf(values[2]), sqlite3_value_int64(values[3])));
}

}  // namespace

const std::vector<const char*>& createStatements() {
    return kCurrent;
}

void registerChecksumFunction(SqliteConnection& db) {
    sqlite3_create_function_v2(db.handle(), "tai_row_checksum", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                               nullptr, checksumFunction, nullptr, nullptr, nullptr);
}

int versionOf(SqliteConnection& db, QString* problem) {
    QString error;
    const auto tables = db.queryInteger("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'", &error);
    if (!tables) {
        *problem = error;
        return -1;
    }
    if (*tables == 0) {
        return 0;
    }
    const auto hasMigrations = db.queryInteger(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'", &error);
    if (!hasMigrations || *hasMigrations == 0) {
        *problem = QStringLiteral(
            "it has tables but no schema_migrations table, so it is not a TAI Console audit "
            "database or its schema table is gone");
        return -1;
    }
    SqliteStatement max =
        db.prepare("SELECT MAX(version), typeof(MAX(version)) FROM schema_migrations", &error);
    if (!max.valid() || max.step() != SQLITE_ROW) {
        *problem =
            QStringLiteral("schema_migrations cannot be read: ") + (error.isEmpty() ? db.errorText() : error);
        return -1;
    }
    if (max.type(0) != SQLITE_INTEGER) {
        *problem = QStringLiteral("schema_migrations holds no schema version");
        return -1;
    }
    const std::int64_t version = max.integer(0);
    if (version < 1 || version > kVersion) {
        *problem = QStringLiteral("it has schema version %1; this build knows versions 1 to %2")
                       .arg(version)
                       .arg(kVersion);
        return -1;
    }
    return static_cast<int>(version);
}

QString missingTablesOrColumns(SqliteConnection& db, int version) {
    for (const Table& table : expectedTables(version)) {
        QString error;
        SqliteStatement info = db.prepare("SELECT name FROM pragma_table_info(?)", &error);
        if (!info.valid()) {
            return QStringLiteral("its tables cannot be listed: ") + error;
        }
        const QByteArray name(table.name);
        info.bindText(1, name);
        QStringList columns;
        int rc;
        while ((rc = info.step()) == SQLITE_ROW) {
            columns << info.text(0);
        }
        if (rc != SQLITE_DONE) {
            return QStringLiteral("table %1 cannot be described: %2")
                .arg(QString::fromUtf8(name), db.errorText());
        }
        if (columns.isEmpty()) {
            return QStringLiteral("table %1 is missing").arg(QString::fromUtf8(name));
        }
        for (const QString& column : table.columns) {
            if (!columns.contains(column)) {
                return QStringLiteral("table %1 has no column %2").arg(QString::fromUtf8(name), column);
            }
        }
    }
    return {};
}

bool migrate(SqliteConnection& db, int version, std::int64_t nowMs, QString* error) {
    if (version == 0) {
        // The page size is fixed when the first table is written; WAL cannot change it later.
        const QByteArray pageSize = "PRAGMA page_size=" + QByteArray::number(kPageSize);
        if (!db.exec(pageSize.constData(), error) || !db.exec("BEGIN IMMEDIATE", error)) {
            return false;
        }
        if (!db.exec(kMigrationsTable, error) || !runAll(db, kCurrent, error)) {
            db.exec("ROLLBACK", nullptr);
            return false;
        }
        for (int v = 1; v <= kVersion; ++v) {  // a fresh database is every version at once
            const QByteArray record = "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (" +
                                      QByteArray::number(v) + ", " + QByteArray::number(nowMs) + ")";
            if (!db.exec(record.constData(), error)) {
                db.exec("ROLLBACK", nullptr);
                return false;
            }
        }
        return db.exec("COMMIT", error);
    }
    for (int next = version + 1; next <= kVersion; ++next) {
        if (!db.exec("BEGIN IMMEDIATE", error)) {
            return false;
        }
        registerChecksumFunction(db);
        const QByteArray record = "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (" +
                                  QByteArray::number(next) + ", " + QByteArray::number(nowMs) + ")";
        if (!runAll(db, kFrom1To2, error) || !db.exec(record.constData(), error)) {
            db.exec("ROLLBACK", nullptr);
            return false;
        }
        if (!db.exec("COMMIT", error)) {
            db.exec("ROLLBACK", nullptr);
            return false;
        }
        spdlog::info("audit store: applied schema migration {}", next);
    }
    return true;
}

}  // namespace tai::AuditSchema
