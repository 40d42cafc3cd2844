#pragma once

#include "fleet/idempotency_ledger.h"
#include "fleet/kv_bucket_spec.h"

#include <chrono>
#include <functional>
#include <memory>

namespace tai::fleet {

class FleetConnection;
class KvBucket;
struct KvEntry;

// The fleet's ledger: KV bucket tai_<fleet>_idem, key k.<sha256 hex of the key>, TTL 24 h.
// claim = create (fails if the key exists), finalize = update at the claim's revision, release =
// delete at the claim's revision. Thread-safe; each call blocks for a few round trips at most.
class NatsIdempotencyLedger final : public IdempotencyLedger {
public:
    struct Options {
        std::chrono::milliseconds ttl = std::chrono::hours(24);
        int attempts = 3;  // claim retries when a key is released or expires under our feet
        std::function<std::int64_t()> nowMs;  // wall clock for claimed_at; the system clock if empty
    };

    explicit NatsIdempotencyLedger(std::shared_ptr<FleetConnection> connection);
    NatsIdempotencyLedger(std::shared_ptr<FleetConnection> connection, Options options);

    ClaimResult claim(const QString& key, const QByteArray& bodyHash) override;
    LedgerWriteResult finalize(const LedgerClaim& claim, const QByteArray& response) override;
    LedgerWriteResult release(const LedgerClaim& claim) override;
    FleetResult<std::optional<LedgerEntry>> lookup(const QString& key) override;
    FleetResult<std::vector<LedgerEntry>> unsettled(const QString& owner) override;
    LedgerWriteResult markInDoubt(const LedgerEntry& seen) override;
    LedgerWriteResult resolve(const QString& key, Resolution resolution, const QByteArray& response) override;

    const KvBucketSpec& spec() const { return spec_; }

private:
    FleetResult<std::shared_ptr<KvBucket>> bucket() const;
    // The live entry under `storageKey`, nullopt when there is none.
    FleetResult<std::optional<LedgerEntry>> read(KvBucket& bucket, const QString& storageKey) const;
    static FleetResult<std::optional<LedgerEntry>> decodeStored(const KvEntry& stored);
    std::int64_t now() const;

    std::shared_ptr<FleetConnection> connection_;
    Options options_;
    KvBucketSpec spec_;
};

}  // namespace tai::fleet
