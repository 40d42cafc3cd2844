#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace tai {

class SqliteConnection;

// The audit database's layout (DESIGN.md §7) and its migrations.
//
// Version 2 keeps the hot path cheap: an audit row is one append to a rowid table (the sequence
// is the rowid, assigned by the writer), the policy version is a small integer into
// policy_versions, and decision rows (nearly all of them) feed no secondary index. Rows of other
// kinds are indexed by kind, subject and trace; time ranges go through audit_minutes (one row per
// minute with the sequence range it holds). Idempotency rows carry a checksum and live in a rowid
// table whose rowid order is the order they were stored in, so expiry walks it from the front.
namespace AuditSchema {

inline constexpr int kVersion = 2;
// Bigger pages mean fewer WAL frames per group commit; measured on this project's disk, 16 KiB
// pages commit about a third more rows per second than 4 KiB ones (see docs/BENCHMARKS.md).
inline constexpr int kPageSize = 16384;

// The statements that create the current schema in an empty database (the bench's bare sqlite3
// loop creates the same tables from them).
const std::vector<const char*>& createStatements();
inline constexpr const char* kInsertEvent =
    "INSERT INTO audit_events (seq, at_ms, trace_id, kind, subject, payload, policy) VALUES (?, ?, ?, ?, ?, "
    "?, ?)";
inline constexpr const char* kInsertKey =
    "INSERT OR REPLACE INTO idempotency (key, hash, response, stored_at_ms, checksum) VALUES (?, ?, ?, ?, ?)";

// The version recorded in schema_migrations: 0 for an empty database, -1 (with `problem` set) when
// the file has tables but is not an audit database this build can read.
int versionOf(SqliteConnection& db, QString* problem);
// Every table and column `version` expects is there; the first one missing, named, otherwise.
QString missingTablesOrColumns(SqliteConnection& db, int version);
// Brings the database from `version` to kVersion in one transaction per step.
bool migrate(SqliteConnection& db, int version, std::int64_t nowMs, QString* error);

// The SQL function tai_row_checksum(key, hash, response, stored_at_ms) the migration from
// version 1 uses to checksum rows it copies.
void registerChecksumFunction(SqliteConnection& db);

}  // namespace AuditSchema

// Floor division into minutes, so times before 1970 (virtual clocks) fall in the right bucket.
inline std::int64_t minuteOf(std::int64_t atMs) {
    const std::int64_t q = atMs / 60'000;
    return (atMs % 60'000 < 0) ? q - 1 : q;
}

}  // namespace tai
