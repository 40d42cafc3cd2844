#include "fleet/control_watcher.h"

#include "fleet/fleet_connection.h"
#include "fleet/kv_bucket.h"
#include "fleet/kv_watch.h"

namespace tai::fleet {

namespace {
using namespace std::chrono_literals;
}

ControlWatcher::ControlWatcher(std::shared_ptr<FleetConnection> connection, QObject* parent)
    : QObject(parent), connection_(std::move(connection)), spec_(bucketSpec(*connection_)) {}

ControlWatcher::~ControlWatcher() {
    stop();
}

KvBucketSpec ControlWatcher::bucketSpec(const FleetConnection& connection) {
    KvBucketSpec spec;
    spec.name = connection.names().controlBucket();
    spec.maxValueBytes = 64 * 1024;
    return spec;
}

void ControlWatcher::start() {
    if (thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    // After a reconnect the watcher's consumer may be gone with the old server: watch again.
    listener_ = connection_->addListener([this](ConnectionEvent event) {
        if (event == ConnectionEvent::Reconnected || event == ConnectionEvent::Connected) {
            rewatch_ = true;
            wake_.notify_all();
        }
    });
    thread_ = std::thread([this] { run(); });
}

void ControlWatcher::stop() {
    if (!thread_.joinable()) {
        return;
    }
    connection_->removeListener(listener_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (activeWatch_ != nullptr) {
            activeWatch_->stop();
        }
    }
    wake_.notify_all();
    thread_.join();
}

void ControlWatcher::waitBeforeRetry() {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, 500ms, [this] { return stopping_ || rewatch_.load(); });
}

void ControlWatcher::run() {
    std::uint64_t generation = 0;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                break;
            }
        }
        rewatch_ = false;
        auto bucket = connection_->bucket(spec_);
        FleetResult<std::unique_ptr<KvWatch>> watch =
            bucket.ok() ? bucket.value()->watch() : FleetResult<std::unique_ptr<KvWatch>>(bucket.error());
        if (!watch.ok()) {
            waitBeforeRetry();
            continue;
        }
        std::unique_ptr<KvWatch> active = std::move(watch).value();
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                break;
            }
            activeWatch_ = active.get();
        }
        ++generation;
        QMetaObject::invokeMethod(
            this, [this, generation] { beginSnapshot(generation); }, Qt::QueuedConnection);
        bool broken = false;
        while (!broken && !rewatch_) {
            auto event = active->next(1s);
            if (!event.ok()) {
                broken = true;
                break;
            }
            switch (event.value().kind) {
                case KvWatch::Event::Kind::Entry: {
                    const KvEntry& entry = event.value().entry;
                    ControlChange change{entry.key, entry.isLive() ? entry.value : QByteArray(),
                                         entry.revision, !entry.isLive()};
                    QMetaObject::invokeMethod(
                        this, [this, generation, change] { onEntry(generation, change); },
                        Qt::QueuedConnection);
                    break;
                }
                case KvWatch::Event::Kind::CurrentValuesDone:
                    QMetaObject::invokeMethod(
                        this, [this, generation] { endSnapshot(generation); }, Qt::QueuedConnection);
                    break;
                case KvWatch::Event::Kind::Idle:
                    break;
                case KvWatch::Event::Kind::Stopped:
                    broken = true;
                    break;
            }
        }
        {
            std::lock_guard lock(mutex_);
            activeWatch_ = nullptr;
        }
        active.reset();
        if (broken) {
            waitBeforeRetry();
        }
    }
    FleetConnection::releaseThreadMemory();
}

void ControlWatcher::beginSnapshot(std::uint64_t generation) {
    generation_ = generation;
    inSnapshot_ = true;
    snapshot_.clear();
}

void ControlWatcher::onEntry(std::uint64_t generation, const ControlChange& change) {
    if (generation != generation_) {
        return;  // from a watcher that has been replaced
    }
    if (inSnapshot_) {
        if (!change.deleted) {
            snapshot_[change.key] = change;
        }
        return;
    }
    auto it = current_.find(change.key);
    if (it != current_.end() && it->second.revision >= change.revision) {
        return;
    }
    if (change.deleted) {
        if (it == current_.end()) {
            return;
        }
        current_.erase(it);
    } else {
        current_[change.key] = change;
    }
    Q_EMIT changed(change);
}

void ControlWatcher::endSnapshot(std::uint64_t generation) {
    if (generation != generation_ || !inSnapshot_) {
        return;
    }
    inSnapshot_ = false;
    // Report what differs from what was reported before: removed keys, then new or changed values.
    std::vector<ControlChange> report;
    for (const auto& [key, known] : current_) {
        if (snapshot_.find(key) == snapshot_.end()) {
            report.push_back(ControlChange{key, {}, known.revision, true});
        }
    }
    for (const auto& [key, value] : snapshot_) {
        auto it = current_.find(key);
        if (it == current_.end() || it->second.revision != value.revision ||
            it->second.value != value.value) {
            report.push_back(value);
        }
    }
    current_ = std::move(snapshot_);
    snapshot_.clear();
    for (const ControlChange& change : report) {
        Q_EMIT changed(change);
    }
    synced_ = true;
    Q_EMIT synced();
}

}  // namespace tai::fleet
