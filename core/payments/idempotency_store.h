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

// Where idempotency keys live (§4.4). In memory for now; a SQLite-backed store implements the
// same interface so keys survive a restart.
class IdempotencyStore {
public:
    static constexpr Duration kRetention = std::chrono::hours(24);

    virtual ~IdempotencyStore() = default;
    // The unexpired record for `key` at `now`, if any.
    virtual std::optional<IdempotencyRecord> find(const QString& key, TimePoint now) = 0;
    virtual void put(const QString& key, IdempotencyRecord record) = 0;
    virtual std::size_t purgeExpired(TimePoint now) = 0;
    virtual std::size_t size() const = 0;
};

class InMemoryIdempotencyStore final : public IdempotencyStore {
public:
    std::optional<IdempotencyRecord> find(const QString& key, TimePoint now) override;
    void put(const QString& key, IdempotencyRecord record) override;
    std::size_t purgeExpired(TimePoint now) override;
    std::size_t size() const override { return records_.size(); }

private:
    QHash<QString, IdempotencyRecord> records_;
};

}  // namespace tai
