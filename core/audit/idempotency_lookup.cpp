#include "audit/idempotency_lookup.h"

#include "audit/audit_integrity.h"
#include "audit/sqlite_thread_guard.h"

#include <sqlite3.h>

namespace tai {

std::unique_ptr<IdempotencyLookup> IdempotencyLookup::open(const QString& databaseName, QString* error) {
    auto connection = SqliteConnection::open(databaseName, SqliteConnection::Access::ReadOnly, error);
    if (!connection) {
        return nullptr;
    }
    // In memory the connections share one cache; reading uncommitted rows keeps lookups from
    // waiting on the writer's table lock (keys still being committed are answered from the
    // store's pending map anyway).
    if (isInMemoryName(databaseName) && !connection->exec("PRAGMA read_uncommitted=1", error)) {
        return nullptr;
    }
    SqliteStatement select = connection->prepare(
        "SELECT key, hash, response, stored_at_ms, checksum FROM idempotency WHERE key = ?", error);
    if (!select.valid()) {
        return nullptr;
    }
    return std::unique_ptr<IdempotencyLookup>(
        new IdempotencyLookup(std::move(*connection), std::move(select)));
}

KeyLookup IdempotencyLookup::find(const QString& key, std::int64_t expiredAtOrBeforeMs) {
    SqliteThreadGuard::check("idempotency lookup");
    const QByteArray keyUtf8 = key.toUtf8();
    std::lock_guard lock(mutex_);
    select_.bindText(1, keyUtf8);
    KeyLookup result;
    int rc = select_.step();
    for (int attempt = 0; rc == SQLITE_LOCKED_SHAREDCACHE && attempt < 1000; ++attempt) {
        select_.reset();  // in memory, a schema change by the writer can hold the cache briefly
        select_.bindText(1, keyUtf8);
        rc = select_.step();
    }
    if (rc == SQLITE_ROW) {
        StoredKeyRow stored;
        stored.keyType = select_.type(0);
        stored.hashType = select_.type(1);
        stored.responseType = select_.type(2);
        stored.storedAtType = select_.type(3);
        stored.checksumType = select_.type(4);
        stored.hasChecksum = true;
        stored.keyUtf8 = select_.bytes(0);
        stored.row.canonicalHash = select_.bytes(1);
        stored.row.response = select_.bytes(2);
        stored.row.storedAtMs = select_.integer(3);
        stored.checksum = select_.integer(4);
        // Damage after the open-time check is still damage: the row is checked again here.
        if (const QString why = checkStoredKeyRow(stored); !why.isEmpty()) {
            result.status = KeyLookup::Status::Failed;
            result.error = QStringLiteral("idempotency row for this key is damaged: ") + why;
        } else if (stored.row.storedAtMs > expiredAtOrBeforeMs) {
            result.status = KeyLookup::Status::Found;
            result.row = std::move(stored.row);
            result.row.key = key;
        }
    } else if (rc != SQLITE_DONE) {
        result.status = KeyLookup::Status::Failed;
        result.error = connection_.errorText();
    }
    select_.reset();
    return result;
}

}  // namespace tai
