#include "fleet/fleet_membership.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket.h"

namespace tai::fleet {

FleetMembership::FleetMembership(std::shared_ptr<FleetConnection> connection,
                                 std::shared_ptr<FleetIoThread> io, Options options, QObject* parent)
    : QObject(parent),
      connection_(std::move(connection)),
      io_(std::move(io)),
      options_(options),
      spec_(bucketSpec(*connection_, options.ttl)) {
    timer_.setInterval(options_.interval);
    connect(&timer_, &QTimer::timeout, this, &FleetMembership::beat);
}

FleetMembership::~FleetMembership() = default;

KvBucketSpec FleetMembership::bucketSpec(const FleetConnection& connection, std::chrono::milliseconds ttl) {
    KvBucketSpec spec;
    spec.name = connection.names().membersBucket();
    spec.ttl = ttl;
    spec.maxValueBytes = 8 * 1024;
    return spec;
}

void FleetMembership::setPayload(QByteArray payload) {
    payload_ = std::move(payload);
}

void FleetMembership::start() {
    timer_.start();
    beat();
}

void FleetMembership::stop() {
    timer_.stop();
}

void FleetMembership::beat() {
    if (inFlight_) {
        return;  // the last put is still waiting on a slow server: do not pile up behind it
    }
    const QString key = FleetNames::memberKey(connection_->config().instanceId);
    auto job = [connection = connection_, spec = spec_, key, payload = payload_]() -> FleetError {
        auto bucket = connection->bucket(spec);
        if (!bucket.ok()) {
            return bucket.error();
        }
        auto put = bucket.value()->put(key, payload);
        return put.ok() ? FleetError{} : put.error();
    };
    inFlight_ = io_->submit(std::move(job), this, [this](const FleetError& error) { onBeat(error); });
    if (!inFlight_) {
        onBeat(FleetError::make(FleetError::Kind::Unavailable,
                                QStringLiteral("membership: the fleet I/O queue is full")));
    }
}

void FleetMembership::onBeat(const FleetError& error) {
    inFlight_ = false;
    if (error.ok() && !healthy_) {
        healthy_ = true;
        Q_EMIT heartbeatRestored();
    } else if (!error.ok() && healthy_) {
        healthy_ = false;
        Q_EMIT heartbeatFailed(error.message);
    }
}

FleetResult<std::vector<FleetMember>> FleetMembership::liveMembers(FleetConnection& connection,
                                                                   std::chrono::milliseconds ttl) {
    auto bucket = connection.bucket(bucketSpec(connection, ttl));
    if (!bucket.ok()) {
        return bucket.error();
    }
    auto entries = bucket.value()->entries(QStringLiteral("m.*"));
    if (!entries.ok()) {
        return entries.error();
    }
    std::vector<FleetMember> members;
    for (const KvEntry& entry : entries.value()) {
        members.push_back({FleetNames::memberFromKey(entry.key), entry.value, entry.createdNs});
    }
    return members;
}

}  // namespace tai::fleet
