#pragma once

#include "fleet/fleet_config.h"
#include "fleet/fleet_error.h"
#include "fleet/fleet_message.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket_spec.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tai::fleet {

namespace nats {
struct NativeConnection;
}

class FleetSubscription;
class KvBucket;

enum class ConnectionEvent { Connected, Disconnected, Reconnected, Closed };
QString connectionEventName(ConnectionEvent event);

// A JetStream publish acknowledgement.
struct JetStreamAck {
    std::uint64_t sequence = 0;
    bool duplicate = false;  // the stream had this Nats-Msg-Id already (nothing new stored)
};

// Conditions on a JetStream publish; the server refuses the write when one does not hold.
struct JetStreamExpect {
    QByteArray messageId;                   // Nats-Msg-Id, for de-duplication
    std::uint64_t lastSubjectSequence = 0;  // 0: no condition
    bool noMessageOnSubject = false;        // the subject must be empty (a KV create)
};

// How much a stream holds.
struct StreamState {
    std::uint64_t messages = 0;
    std::uint64_t firstSequence = 0;
    std::uint64_t lastSequence = 0;
};

// A message read back from a stream.
struct StoredMessage {
    FleetMessage message;
    std::uint64_t sequence = 0;
    std::int64_t timeNs = 0;
};

// One connection to the fleet's NATS servers: RAII over every libnats object it makes, with the
// settings of FLEET.md §14.4. Thread-safe; every call that talks to the server blocks for at most
// the configured request timeout, so none of them belongs on a GUI thread (use FleetIoThread).
// When the connection is down, calls fail at once with Unavailable instead of waiting.
class FleetConnection {
public:
    using Listener = std::function<void(ConnectionEvent)>;

    // Connects. When no server answers yet it keeps trying in the background and still returns
    // the connection: calls fail fast until it is up, and listeners hear Connected. Fails only on
    // bad configuration (the error names the field) or refused credentials.
    static FleetResult<std::shared_ptr<FleetConnection>> open(FleetConfig config);
    ~FleetConnection();  // closes, and waits until libnats has made its last callback
    FleetConnection(const FleetConnection&) = delete;
    FleetConnection& operator=(const FleetConnection&) = delete;

    const FleetConfig& config() const { return config_; }
    const FleetNames& names() const { return names_; }
    bool isConnected() const;

    // Listeners run on a libnats thread: copy what you need and hand it over; do not call back
    // into this connection from one. Returns an id for removeListener.
    std::uint64_t addListener(Listener listener);
    void removeListener(std::uint64_t id);

    // A bucket, made on first use with `spec` (an existing bucket must have the same TTL).
    FleetResult<std::shared_ptr<KvBucket>> bucket(const KvBucketSpec& spec);
    // A stream, made on first use.
    FleetError ensureStream(const StreamSpec& spec);

    FleetError publish(const FleetMessage& message);
    FleetResult<FleetMessage> request(const FleetMessage& message, std::chrono::milliseconds timeout);
    // Publishes `message` with a fresh reply inbox and collects answers until `deadline`, or until
    // `enough` returns true for the answers so far. A "no responders" status ends it at once.
    FleetResult<std::vector<FleetMessage>> gather(
        FleetMessage message, std::chrono::steady_clock::time_point deadline,
        const std::function<bool(const std::vector<FleetMessage>&)>& enough);
    // `sink` runs on a libnats thread for each message (copy and hand over, never block). An empty
    // `queueGroup` subscribes plainly.
    FleetResult<std::unique_ptr<FleetSubscription>> subscribe(const QString& subject,
                                                              const QString& queueGroup,
                                                              std::function<void(FleetMessage)> sink);

    FleetResult<JetStreamAck> jetStreamPublish(const FleetMessage& message, const JetStreamExpect& expect);
    // The last message on `subject` in `stream`, or NotFound.
    FleetResult<StoredMessage> lastStreamMessage(const QString& stream, const QString& subject);
    // The message at `sequence` in `stream`, or NotFound (deleted, expired, never written).
    FleetResult<StoredMessage> streamMessage(const QString& stream, std::uint64_t sequence);
    FleetResult<StreamState> streamState(const QString& stream);

    // Frees libnats' global threads and memory; call once at exit after every connection is gone.
    static void shutdownLibrary();
    // Frees what libnats keeps per thread (its error stack); our own threads call it as they end.
    static void releaseThreadMemory();

private:
    struct Events;
    FleetConnection(FleetConfig config, std::unique_ptr<Events> events);
    FleetError unavailableUnlessConnected(const QString& what) const;

    FleetConfig config_;
    FleetNames names_;
    std::unique_ptr<Events> events_;
    std::shared_ptr<nats::NativeConnection> native_;
    std::mutex cacheMutex_;
    std::map<QString, std::shared_ptr<KvBucket>> buckets_;
    std::map<QString, StreamSpec> streams_;
};

}  // namespace tai::fleet
