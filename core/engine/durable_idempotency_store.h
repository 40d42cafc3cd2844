#pragma once

#include "payments/idempotency_store.h"

#include <QHash>

#include <cstdint>
#include <list>

namespace tai {

class AuditStore;

// Idempotency keys whose authoritative copy is the audit store's SQLite table (§4.4, issue 14):
// a bounded cache of recent keys in front of the store's point lookup. Memory does not grow with
// 24 h of keys, and a restart loads none: an old key is read when a retry asks for it. A key the
// store cannot read is Unavailable, never "not stored". Engine thread.
class DurableIdempotencyStore final : public IdempotencyStore {
public:
    static constexpr std::size_t kDefaultCacheKeys = 4096;

    explicit DurableIdempotencyStore(const AuditStore& audit, std::size_t cacheKeys = kDefaultCacheKeys);

    IdempotencyFind find(const QString& key, TimePoint now) override;
    // Into the cache; the durable copy is the audit store's, written with the decision (§7).
    void put(const QString& key, IdempotencyRecord record) override;
    std::size_t purgeExpired(TimePoint now) override;  // the cache's; the store expires its own
    std::size_t size() const override { return static_cast<std::size_t>(cache_.size()); }

    std::uint64_t storeLookups() const { return storeLookups_; }  // cache misses that asked SQLite

private:
    void remember(const QString& key, IdempotencyRecord record);

    struct Entry {
        IdempotencyRecord record;
        std::list<QString>::iterator age;
    };
    const AuditStore& audit_;
    std::size_t capacity_;
    QHash<QString, Entry> cache_;
    std::list<QString> order_;  // most recently used first
    std::uint64_t storeLookups_ = 0;
};

}  // namespace tai
