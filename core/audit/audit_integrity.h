#pragma once

#include "audit/audit_types.h"

#include <QString>

#include <cstdint>
#include <functional>

namespace tai {

class SqliteConnection;

// What the payments layer says about one stored idempotency row (the audit layer does not know
// the response format): empty when it is usable, otherwise why not.
using IdempotencyRowValidator = std::function<QString(const IdempotencyRow& row)>;

struct IntegrityReport {
    QString problem;  // empty: the database can be trusted
    std::int64_t keysChecked = 0;
    std::int64_t keysDamaged = 0;
};

// The checks at open (issue 14): the tables and columns `version` expects; the file's structure
// (PRAGMA quick_check, or integrity_check when `full`); the key index holding exactly the table's
// keys, in order; and every idempotency row: key, hash and response present with the right types,
// a numeric time, a checksum that matches (version 2), and `validate` content. The checks that
// read the whole file run side by side on their own connections to `name` (so `validate` is
// called from several threads at once, with a row valid only during the call). Never trust a
// partial ledger: any failing check is the answer.
IntegrityReport verifyAuditDatabase(SqliteConnection& db, const QString& name, int version, bool full,
                                    const IdempotencyRowValidator& validate);

// One row as read from the table: the checks that do not need the payments layer. Shared with
// recovery, which copies only rows that pass. Empty when well-formed.
struct StoredKeyRow {
    IdempotencyRow row;
    QByteArray keyUtf8;
    int keyType = 0;
    int hashType = 0;
    int responseType = 0;
    int storedAtType = 0;
    bool hasChecksum = false;
    int checksumType = 0;
    std::int64_t checksum = 0;
};
QString checkStoredKeyRow(const StoredKeyRow& stored);

}  // namespace tai
