#pragma once

#include "base/clock.h"
#include "payments/payment_response.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace tai {

struct IdempotencyRecord {
    QByteArray canonicalHash;
    PaymentResponse response;
    TimePoint storedAt;
};

// What a store knows about a key: its unexpired record, none, or that it cannot tell now (its
// durable copy could not be read). Unavailable is never "none": a key that cannot be read must
// not be charged as if it were new (issue 14).
struct IdempotencyFind {
    std::optional<IdempotencyRecord> record;
    bool unavailable = false;
};

// Where idempotency keys live (§4.4): in memory (tests, replays, scenarios without a trail), or
// with the durable trail (engine/durable_idempotency_store.h) so keys survive a restart.
class IdempotencyStore {
public:
    static constexpr Duration kRetention = std::chrono::hours(24);

    virtual ~IdempotencyStore() = default;
    virtual IdempotencyFind find(const QString& key, TimePoint now) = 0;
    virtual void put(const QString& key, IdempotencyRecord record) = 0;
    virtual std::size_t purgeExpired(TimePoint now) = 0;
    virtual std::size_t size() const = 0;
};

class InMemoryIdempotencyStore final : public IdempotencyStore {
public:
    IdempotencyFind find(const QString& key, TimePoint now) override;
    void put(const QString& key, IdempotencyRecord record) override;
    std::size_t purgeExpired(TimePoint now) override;
    std::size_t size() const override { return records_.size(); }

private:
    QHash<QString, IdempotencyRecord> records_;
};

}  // namespace tai
