#pragma once

#include "fleet/kv_bucket_spec.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

namespace tai::fleet {

class FleetConnection;
class FleetIoThread;

// The one rollout controller: KV bucket tai_<fleet>_lease, key `controller`, TTL ~15 s. Acquire =
// create; renew = update at the last revision; the epoch is the revision the lease was won at.
// A renew that fails, or that cannot be confirmed before the lease could have expired, ends the
// leadership at once: lost() is emitted before anything else can run on this thread.
// Lives on the caller's thread (timers, signals); the round trips run on the FleetIoThread.
class LeaderLease : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds ttl{15'000};
        std::chrono::milliseconds renewInterval{0};     // 0: a third of the TTL
        std::chrono::milliseconds campaignInterval{0};  // 0: a fifth of the TTL; also tried at expiry
    };

    LeaderLease(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                Options options, QObject* parent = nullptr);
    ~LeaderLease() override;

    void start();  // campaign until leader, then renew
    void stop();   // step down: the key is deleted so another instance takes over at once

    bool isLeader() const { return leader_; }
    std::uint64_t epoch() const { return leader_ ? epoch_ : 0; }

    static KvBucketSpec bucketSpec(const FleetConnection& connection, std::chrono::milliseconds ttl);

Q_SIGNALS:
    void acquired(quint64 epoch);
    void lost(const QString& reason);

private:
    struct Outcome;
    void tick();
    void campaign();
    void renew();
    void onCampaign(const Outcome& outcome);
    void onRenew(const Outcome& outcome);
    void loseLeadership(const QString& reason);
    void scheduleCampaign(std::chrono::milliseconds delay);
    void armDeadline();

    std::shared_ptr<FleetConnection> connection_;
    std::shared_ptr<FleetIoThread> io_;
    Options options_;
    KvBucketSpec spec_;
    QTimer timer_;
    QTimer deadline_;  // fires when the lease might have expired without a confirmed renew
    bool running_ = false;
    bool inFlight_ = false;
    bool leader_ = false;
    std::uint64_t epoch_ = 0;
    std::uint64_t revision_ = 0;    // the lease key's latest revision, ours
    QElapsedTimer sinceConfirmed_;  // since the last write the server acknowledged (monotonic)
};

}  // namespace tai::fleet
