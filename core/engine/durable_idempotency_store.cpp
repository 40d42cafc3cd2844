#include "engine/durable_idempotency_store.h"

#include "audit/audit_store.h"
#include "payments/payment_json.h"

#include <spdlog/spdlog.h>

namespace tai {

DurableIdempotencyStore::DurableIdempotencyStore(const AuditStore& audit, std::size_t cacheKeys)
    : audit_(audit), capacity_(std::max<std::size_t>(1, cacheKeys)) {}

IdempotencyFind DurableIdempotencyStore::find(const QString& key, TimePoint now) {
    if (const auto hit = cache_.find(key); hit != cache_.end()) {
        if (now - hit->record.storedAt >= kRetention) {
            order_.erase(hit->age);
            cache_.erase(hit);
            return {};
        }
        order_.splice(order_.begin(), order_, hit->age);
        return {hit->record, false};
    }
    ++storeLookups_;
    const KeyLookup found = audit_.findIdempotency(key, toEpochMs(now));
    switch (found.status) {
        case KeyLookup::Status::Missing:
            return {};
        case KeyLookup::Status::Failed:
            spdlog::error("idempotency key {} cannot be read: {}", key.toStdString(),
                          found.error.toStdString());
            return {std::nullopt, true};
        case KeyLookup::Status::Found:
            break;
    }
    const auto response = paymentResponseFromJson(found.row.response);
    if (!response) {
        // Every row was checked at open; one that does not parse now was damaged since.
        spdlog::error("idempotency key {}: the stored response does not parse", key.toStdString());
        return {std::nullopt, true};
    }
    IdempotencyRecord record{found.row.canonicalHash, *response, fromEpochMs(found.row.storedAtMs)};
    remember(key, record);
    return {std::move(record), false};
}

void DurableIdempotencyStore::put(const QString& key, IdempotencyRecord record) {
    remember(key, std::move(record));
}

std::size_t DurableIdempotencyStore::purgeExpired(TimePoint now) {
    std::size_t purged = 0;
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (now - it->record.storedAt >= kRetention) {
            order_.erase(it->age);
            it = cache_.erase(it);
            ++purged;
        } else {
            ++it;
        }
    }
    return purged;
}

void DurableIdempotencyStore::remember(const QString& key, IdempotencyRecord record) {
    if (const auto hit = cache_.find(key); hit != cache_.end()) {
        hit->record = std::move(record);
        order_.splice(order_.begin(), order_, hit->age);
        return;
    }
    if (static_cast<std::size_t>(cache_.size()) >= capacity_) {
        cache_.remove(order_.back());
        order_.pop_back();
    }
    order_.push_front(key);
    cache_.insert(key, Entry{std::move(record), order_.begin()});
}

}  // namespace tai
