#pragma once

#include <QMetaType>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace tai {

// Whether the audit store's commits are going through (issue 14): the engine opens its `storage`
// breaker on a failing store and closes it when the store is ok again.
struct StorageHealth {
    bool ok = true;
    QString lastError;                 // the newest failure's text; kept after recovery, for the record
    std::int64_t failingSinceMs = 0;   // engine time of the first failure in this run of failures
    std::uint64_t failedAttempts = 0;  // commit attempts that failed since then
    std::size_t pendingRows = 0;       // queued or being committed when this was taken
};

// What a shutdown could not save (issue 14: a shutdown during failures returns in bounded time).
struct ShutdownReport {
    std::uint64_t abandonedRows = 0;       // audit and idempotency rows never committed
    std::uint64_t abandonedCallbacks = 0;  // durable appends whose `committed` never ran
    bool clean() const { return abandonedRows == 0 && abandonedCallbacks == 0; }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::StorageHealth)
