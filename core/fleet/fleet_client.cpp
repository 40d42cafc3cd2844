#include "fleet/fleet_client.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_subscription.h"

#include <QDateTime>

namespace tai::fleet {

FleetClient::FleetClient(std::shared_ptr<FleetConnection> connection, Options options, QObject* parent)
    : QObject(parent), connection_(std::move(connection)), options_(options) {
    qRegisterMetaType<FleetViewPtr>();
}

FleetClient::~FleetClient() {
    stop();
}

void FleetClient::start() {
    if (thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void FleetClient::stop() {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();  // the thread ends its subscription first: no libnats callback outlives this
}

std::uint64_t FleetClient::rejectedSnapshots() const {
    std::lock_guard lock(mutex_);
    return rejected_;
}

void FleetClient::deliver(FleetViewPtr view) {
    view_ = std::move(view);
    Q_EMIT viewChanged(view_);
}

void FleetClient::run() {
    FleetViewBuilder builder(options_.merge);
    std::unique_ptr<FleetSubscription> subscription;
    std::int64_t lastFoldMs = 0;
    bool dirty = true;
    for (;;) {
        std::vector<QByteArray> arrived;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, options_.foldInterval, [this] { return stopping_; });
            if (stopping_) {
                break;
            }
            arrived.swap(inbox_);
        }
        if (!subscription) {
            // Made here, not on the GUI thread; retried each round until the connection takes it.
            auto made =
                connection_->subscribe(connection_->names().snapshotSubjects(), {}, [this](FleetMessage m) {
                    std::lock_guard lock(mutex_);
                    if (inbox_.size() >= options_.inboxCapacity) {
                        ++rejected_;
                        return;
                    }
                    inbox_.push_back(std::move(m.data));
                });
            if (made.ok()) {
                subscription = std::move(made).value();
            }
        }
        const std::int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
        std::uint64_t bad = 0;
        for (const QByteArray& bytes : arrived) {
            auto snapshot = decodeFleetSnapshot(bytes);
            if (!snapshot.ok()) {
                ++bad;
                continue;
            }
            dirty = builder.add(snapshot.value(), nowMs) || dirty;
        }
        if (bad > 0) {
            std::lock_guard lock(mutex_);
            rejected_ += bad;
        }
        // New data at most every fold interval; otherwise once per publish interval, so that an
        // instance going silent turns grey without anything arriving.
        if (dirty || nowMs - lastFoldMs >= options_.merge.interval.count()) {
            auto view = std::make_shared<const FleetView>(builder.build(nowMs));
            QMetaObject::invokeMethod(
                this, [this, view] { deliver(view); }, Qt::QueuedConnection);
            lastFoldMs = nowMs;
            dirty = false;
        }
    }
    subscription.reset();
    FleetConnection::releaseThreadMemory();
}

}  // namespace tai::fleet
