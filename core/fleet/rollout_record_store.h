#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_bucket_spec.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace tai::fleet {

class FleetConnection;

// One rollout record (or deploy breaker) as stored: the caller's bytes, with who wrote it at which
// lease epoch.
struct RolloutRecord {
    QString key;
    QByteArray value;
    std::uint64_t revision = 0;
    std::uint64_t epoch = 0;
    QString writer;
};

struct RolloutWriteResult {
    enum class Kind {
        Written,
        Conflict,     // the record moved on since it was read: read again and re-decide
        Fenced,       // a newer controller holds the lease: this one must step down at once
        Unavailable,  // nothing known to be written
    };
    Kind kind = Kind::Unavailable;
    std::uint64_t revision = 0;
    std::optional<RolloutRecord> current;  // Conflict / Fenced: the record now, if readable
    FleetError error;
};

// Rollout records and deploy breakers: KV bucket tai_<fleet>_rollouts. Every write is an update at
// the revision the writer read, and carries the writer's lease epoch. Before writing, the store
// checks that the lease is still this instance's at that epoch; a record already written at a newer
// epoch is fenced too. So a stale ex-leader (stopped, partitioned, slow) fails its first write.
// Thread-safe and blocking (two or three round trips): run it off the GUI thread.
class RolloutRecordStore {
public:
    struct Options {
        std::chrono::milliseconds leaseTtl{15'000};  // must match the LeaderLease's
        int maxValueBytes = 256 * 1024;
    };

    explicit RolloutRecordStore(std::shared_ptr<FleetConnection> connection);
    RolloutRecordStore(std::shared_ptr<FleetConnection> connection, Options options);

    FleetResult<std::optional<RolloutRecord>> read(const QString& key);
    FleetResult<std::vector<RolloutRecord>> list();
    // `revision` 0 writes a new record (only if there is none).
    RolloutWriteResult write(const QString& key, const QByteArray& value, std::uint64_t revision,
                             std::uint64_t epoch);

private:
    FleetResult<std::optional<RolloutRecord>> readFrom(class KvBucket& bucket, const QString& key);
    RolloutWriteResult classify(KvBucket& bucket, const QString& key, std::uint64_t epoch,
                                const FleetError& failure);

    std::shared_ptr<FleetConnection> connection_;
    Options options_;
    KvBucketSpec spec_;
    KvBucketSpec leaseSpec_;
};

}  // namespace tai::fleet
