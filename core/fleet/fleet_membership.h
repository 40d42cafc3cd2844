#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_bucket_spec.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>
#include <vector>

namespace tai::fleet {

class FleetConnection;
class FleetIoThread;

// A live member of the fleet: its key has not expired.
struct FleetMember {
    QString instance;
    QByteArray payload;          // what it last put (the caller's bytes)
    std::int64_t updatedNs = 0;  // server time of that put
};

// Membership and liveness: KV bucket tai_<fleet>_members, key m.<instance>, TTL 10 s, put every
// 2 s. Lives on the caller's thread (its timer); the puts run on the FleetIoThread.
class FleetMembership : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds ttl{10'000};
        std::chrono::milliseconds interval{2'000};
    };

    FleetMembership(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                    Options options, QObject* parent = nullptr);
    ~FleetMembership() override;

    void setPayload(QByteArray payload);  // carried by the next heartbeat
    void start();                         // puts now, then every interval
    void stop();                          // stops the heartbeat; the key expires after the TTL

    bool healthy() const { return healthy_; }

    static KvBucketSpec bucketSpec(const FleetConnection& connection, std::chrono::milliseconds ttl);
    // The live members, blocking (one scan of the bucket): run it off the GUI thread.
    static FleetResult<std::vector<FleetMember>> liveMembers(FleetConnection& connection,
                                                             std::chrono::milliseconds ttl);

Q_SIGNALS:
    void heartbeatFailed(const QString& error);  // on the first failure after success
    void heartbeatRestored();                    // on the first success after failures

private:
    void beat();
    void onBeat(const FleetError& error);

    std::shared_ptr<FleetConnection> connection_;
    std::shared_ptr<FleetIoThread> io_;
    Options options_;
    KvBucketSpec spec_;
    QTimer timer_;
    QByteArray payload_;
    bool inFlight_ = false;
    bool healthy_ = true;
};

}  // namespace tai::fleet
