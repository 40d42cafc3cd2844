#pragma once

#include "audit/audit_integrity.h"
#include "audit/audit_types.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace tai {

struct RecoveryOptions {
    // The payments layer's check of a stored key row: rows that fail it are not copied.
    IdempotencyRowValidator validateKey;
    // Rebuilds the idempotency row behind a decision from its audit row, for keys whose own row was
    // lost (the decision's payload carries the request and the response). Empty: no rebuilding.
    std::function<std::optional<IdempotencyRow>(const AuditRow&)> keyFromDecision;
    std::int64_t nowMs =
        0;  // wall time: names the damaged file, and rebuilt keys older than 24 h are skipped
};

struct TableRecovery {
    QString table;
    std::int64_t recovered = 0;
    std::int64_t lost = 0;        // rows read but damaged, plus rows known to exist that could not be read
    bool lostIsEstimate = false;  // the table could not be counted: `lost` counts unreadable rowids
    bool restUnreachable =
        false;           // from some rowid on, nothing could be reached: how many were there is unknown
    QString unreadable;  // set when nothing of the table could be read: why (how many it had is unknown)
};

struct RecoveryReport {
    QString error;           // set when nothing was changed on disk
    QString damagedMovedTo;  // where the damaged file (and its -wal, -shm) went
    std::vector<TableRecovery> tables;
    std::int64_t keysRebuilt = 0;
    QString summary() const;  // for the operator, several lines
};

// `tai-console audit recover` (issue 14): copies every readable row of `path` to a new file with
// the current schema (key rows checked as at open, and checksummed again), moves the damaged file
// aside under a timestamped name, and puts the new one in its place. The damaged file is never
// written to: it is read through a private copy (whose header is corrected when the file was
// truncated, which SQLite otherwise refuses whole). Nothing on disk changes when it fails.
RecoveryReport recoverAuditDatabase(const QString& path, const RecoveryOptions& options);

}  // namespace tai
