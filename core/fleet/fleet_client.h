#pragma once

#include "fleet/fleet_view.h"
#include "fleet/fleet_view_builder.h"

#include <QObject>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tai::fleet {

class FleetConnection;

// What the console uses to watch the fleet (FLEET.md §14.3): one subscription to every instance's
// snapshots on one connection, folded into one immutable FleetView at most 10 times a second on a
// thread of ours, and handed to this object's thread (the GUI's) with a queued call. The GUI never
// touches libnats: even the subscription is made on the folding thread.
class FleetClient : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds foldInterval{100};  // ≤ 10 Hz
        FleetViewBuilder::Options merge;
        std::size_t inboxCapacity = 4096;  // snapshots waiting to be folded; beyond, dropped
    };

    FleetClient(std::shared_ptr<FleetConnection> connection, Options options, QObject* parent = nullptr);
    ~FleetClient() override;

    void start();
    void stop();

    FleetViewPtr view() const { return view_; }  // the latest handed over (this object's thread)
    std::uint64_t rejectedSnapshots() const;     // undecodable, or dropped by a full inbox

Q_SIGNALS:
    void viewChanged(const tai::fleet::FleetViewPtr& view);

private:
    void run();
    void deliver(FleetViewPtr view);

    std::shared_ptr<FleetConnection> connection_;
    Options options_;
    FleetViewPtr view_;

    mutable std::mutex mutex_;  // the inbox, shared with libnats' delivery thread
    std::condition_variable wake_;
    std::vector<QByteArray> inbox_;
    bool stopping_ = false;
    std::uint64_t rejected_ = 0;
    std::thread thread_;
};

}  // namespace tai::fleet
