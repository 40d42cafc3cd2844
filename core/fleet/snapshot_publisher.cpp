#include "fleet/snapshot_publisher.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_io_thread.h"

#include <QDateTime>

namespace tai::fleet {

SnapshotPublisher::SnapshotPublisher(std::shared_ptr<FleetConnection> connection,
                                     std::shared_ptr<FleetIoThread> io, Provider provider, Options options,
                                     QObject* parent)
    : QObject(parent),
      connection_(std::move(connection)),
      io_(std::move(io)),
      provider_(std::move(provider)) {
    timer_.setInterval(options.interval);
    connect(&timer_, &QTimer::timeout, this, &SnapshotPublisher::publishNow);
}

SnapshotPublisher::~SnapshotPublisher() = default;

void SnapshotPublisher::start() {
    timer_.start();
    publishNow();
}

void SnapshotPublisher::stop() {
    timer_.stop();
}

void SnapshotPublisher::publishNow() {
    if (inFlight_) {
        ++stats_.skipped;
        return;
    }
    FleetSnapshot snapshot = provider_();
    snapshot.instance = connection_->config().instanceId;
    snapshot.sequence = ++sequence_;
    snapshot.publishedAtMs = QDateTime::currentMSecsSinceEpoch();
    QStringList leftOut;
    auto bytes = encodeFleetSnapshot(snapshot, &leftOut);
    if (!bytes.ok()) {
        ++stats_.tooLarge;
        qWarning("fleet: %s", qUtf8Printable(bytes.error().message));
        return;
    }
    if (!leftOut.isEmpty()) {
        ++stats_.truncated;
    }
    FleetMessage message;
    message.subject = connection_->names().snapshotSubject(snapshot.instance);
    message.data = bytes.value();
    auto job = [connection = connection_, message]() {
        return connection->publish(message);
    };
    inFlight_ = io_->submit(std::move(job), this, [this](const FleetError& error) {
        inFlight_ = false;
        ++(error.ok() ? stats_.published : stats_.failed);
    });
    if (!inFlight_) {
        ++stats_.failed;
    }
}

}  // namespace tai::fleet
