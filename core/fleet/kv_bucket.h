#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_bucket_spec.h"
#include "fleet/kv_entry.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace tai::fleet {

namespace nats {
struct NativeConnection;
}

class KvWatch;

// One JetStream KV bucket. Every write is conditional where the design needs it (create, update at
// a revision, delete at a revision), and a lost condition is a Conflict, told apart from an outage
// by the JetStream error code rather than by message text. Thread-safe and blocking (at most the
// request timeout per round trip); obtained from FleetConnection::bucket().
class KvBucket {
public:
    static FleetResult<std::shared_ptr<KvBucket>> openOrCreate(std::shared_ptr<nats::NativeConnection> native,
                                                               const KvBucketSpec& spec);
    ~KvBucket();
    KvBucket(const KvBucket&) = delete;
    KvBucket& operator=(const KvBucket&) = delete;

    const KvBucketSpec& spec() const { return spec_; }
    // The bucket's stream stopped answering (deleted, or a server that lost its store): the
    // connection makes it again on the next FleetConnection::bucket().
    bool isLost() const { return lost_.load(); }

    // The latest entry for `key`, delete markers included; nullopt when the key has none.
    FleetResult<std::optional<KvEntry>> get(const QString& key);
    // Writes only when `key` has no live value (none, deleted or expired). Conflict otherwise,
    // and then `existing` (if given) receives the live entry read after the failed write.
    FleetResult<std::uint64_t> create(const QString& key, const QByteArray& value,
                                      std::optional<KvEntry>* existing = nullptr);
    // Writes only when `key`'s latest revision is `revision`.
    FleetResult<std::uint64_t> update(const QString& key, const QByteArray& value, std::uint64_t revision);
    FleetResult<std::uint64_t> put(const QString& key, const QByteArray& value);
    // A delete marker, only when `key`'s latest revision is `revision` (libnats 3.4.1 has no such
    // call: it is a KV-Operation: DEL message with Nats-Expected-Last-Subject-Sequence).
    FleetResult<std::uint64_t> remove(const QString& key, std::uint64_t revision);

    // The live entries whose key matches `keys` (a subject pattern: "m.*", ">").
    FleetResult<std::vector<KvEntry>> entries(const QString& keys = QStringLiteral(">"));
    // Current values first, then every change, on the thread that calls KvWatch::next().
    FleetResult<std::unique_ptr<KvWatch>> watch(const QString& keys = QStringLiteral(">"));

    struct Handle;  // the libnats store (kv_handles.h)

private:
    KvBucket(std::shared_ptr<nats::NativeConnection> native, KvBucketSpec spec,
             std::unique_ptr<Handle> handle);
    FleetResult<std::uint64_t> write(const QString& key, const QByteArray& value, std::uint64_t lastRevision,
                                     bool expectEmpty, bool deleteMarker, const QString& what);
    FleetError checkKey(const QString& key, const QString& what) const;
    FleetError notConnected(const QString& what) const;

    std::shared_ptr<nats::NativeConnection> native_;
    KvBucketSpec spec_;
    QString streamName_;
    QString subjectPrefix_;
    std::unique_ptr<Handle> handle_;
    std::atomic<bool> lost_{false};
};

}  // namespace tai::fleet
