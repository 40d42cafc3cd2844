#pragma once

#include "fleet/control_change.h"
#include "fleet/kv_bucket_spec.h"

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace tai::fleet {

class FleetConnection;
class KvWatch;

// Watches the fleet's operator intent (KV bucket tai_<fleet>_control) on a thread of ours (libnats
// watchers block). A late joiner gets every current value first, then each change as key, bytes
// and revision, on the thread this object lives on. After a reconnect or a broken watcher it
// watches again from the start and reports only what differs from what it already reported, so
// every instance converges on the bucket's state whatever it missed.
class ControlWatcher : public QObject {
    Q_OBJECT
public:
    explicit ControlWatcher(std::shared_ptr<FleetConnection> connection, QObject* parent = nullptr);
    ~ControlWatcher() override;

    void start();
    void stop();

    // The converged state, as last reported (this object's thread).
    const std::map<QString, ControlChange>& current() const { return current_; }
    bool isSynced() const { return synced_; }

    static KvBucketSpec bucketSpec(const FleetConnection& connection);

Q_SIGNALS:
    void changed(const tai::fleet::ControlChange& change);
    void synced();  // every current value has been reported (after each re-watch)

private:
    void run();
    void waitBeforeRetry();
    // This object's thread: the watcher thread's findings.
    void beginSnapshot(std::uint64_t generation);
    void onEntry(std::uint64_t generation, const ControlChange& change);
    void endSnapshot(std::uint64_t generation);

    std::shared_ptr<FleetConnection> connection_;
    KvBucketSpec spec_;
    std::uint64_t listener_ = 0;

    // Shared with the watcher thread.
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> rewatch_{false};
    KvWatch* activeWatch_ = nullptr;  // under mutex_, so stop() can wake it
    std::thread thread_;

    // This object's thread only.
    std::map<QString, ControlChange> current_;
    std::map<QString, ControlChange> snapshot_;  // while a (re-)watch reports current values
    std::uint64_t generation_ = 0;
    bool inSnapshot_ = false;
    bool synced_ = false;
};

}  // namespace tai::fleet
