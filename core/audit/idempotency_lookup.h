#pragma once

#include "audit/audit_types.h"
#include "audit/sqlite_connection.h"

#include <memory>
#include <mutex>

namespace tai {

// The answer to "was this key stored?" (§4.4). Failed is not Missing: a key that cannot be read
// must not be charged as if it were new.
struct KeyLookup {
    enum class Status { Found, Missing, Failed };
    Status status = Status::Missing;
    IdempotencyRow row;  // when Found
    QString error;       // when Failed
};

// A point lookup by key on a dedicated read connection with one prepared statement: a B-tree
// descent in pages that stay cached, a few µs, so the engine thread can ask for every keyed
// payment instead of holding 24 h of keys in memory. Calls are serialised (one connection).
class IdempotencyLookup {
public:
    static std::unique_ptr<IdempotencyLookup> open(const QString& databaseName, QString* error);

    // Rows stored at or before `expiredAtOrBeforeMs` count as missing.
    KeyLookup find(const QString& key, std::int64_t expiredAtOrBeforeMs);

private:
    IdempotencyLookup(SqliteConnection connection, SqliteStatement select)
        : connection_(std::move(connection)), select_(std::move(select)) {}

    std::mutex mutex_;
    SqliteConnection connection_;
    SqliteStatement select_;
};

}  // namespace tai
