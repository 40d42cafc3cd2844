#pragma once

#include "fleet/fleet_snapshot.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

namespace tai::fleet {

class FleetConnection;
class FleetIoThread;

// Publishes this instance's FleetSnapshot on tai.<fleet>.snap.<instance> twice a second. The
// provider runs on this object's thread (the engine's, where the state is); encoding is cheap; the
// publish goes to the FleetIoThread, and a tick is skipped while the last one is still queued.
class SnapshotPublisher : public QObject {
    Q_OBJECT
public:
    using Provider = std::function<FleetSnapshot()>;
    struct Options {
        std::chrono::milliseconds interval{500};
    };
    struct Stats {
        std::uint64_t published = 0;
        std::uint64_t truncated = 0;  // sent without rollouts or alerts to fit 16 KiB
        std::uint64_t tooLarge = 0;   // not sent at all
        std::uint64_t failed = 0;
        std::uint64_t skipped = 0;  // the previous publish was still waiting
    };

    SnapshotPublisher(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                      Provider provider, Options options, QObject* parent = nullptr);
    ~SnapshotPublisher() override;

    void start();
    void stop();
    void publishNow();
    Stats stats() const { return stats_; }

private:
    std::shared_ptr<FleetConnection> connection_;
    std::shared_ptr<FleetIoThread> io_;
    Provider provider_;
    QTimer timer_;
    std::uint64_t sequence_ = 0;
    bool inFlight_ = false;
    Stats stats_;
};

}  // namespace tai::fleet
