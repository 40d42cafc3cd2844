#include "payments/idempotency_store.h"

namespace tai {

IdempotencyFind InMemoryIdempotencyStore::find(const QString& key, TimePoint now) {
    const auto found = records_.constFind(key);
    if (found == records_.constEnd() || now - found->storedAt >= kRetention) {
        return {};
    }
    return {*found, false};
}

void InMemoryIdempotencyStore::put(const QString& key, IdempotencyRecord record) {
    records_.insert(key, std::move(record));
}

std::size_t InMemoryIdempotencyStore::purgeExpired(TimePoint now) {
    std::size_t purged = 0;
    for (auto it = records_.begin(); it != records_.end();) {
        if (now - it->storedAt >= kRetention) {
            it = records_.erase(it);
            ++purged;
        } else {
            ++it;
        }
    }
    return purged;
}

}  // namespace tai
