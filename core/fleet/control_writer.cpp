#include "fleet/control_writer.h"

#include "fleet/control_watcher.h"
#include "fleet/fleet_connection.h"
#include "fleet/kv_bucket.h"

namespace tai::fleet {

ControlWriter::ControlWriter(std::shared_ptr<FleetConnection> connection)
    : connection_(std::move(connection)) {}

FleetResult<std::uint64_t> ControlWriter::put(const QString& key, const QByteArray& value) {
    auto bucket = connection_->bucket(ControlWatcher::bucketSpec(*connection_));
    return bucket.ok() ? bucket.value()->put(key, value) : FleetResult<std::uint64_t>(bucket.error());
}

FleetResult<std::uint64_t> ControlWriter::update(const QString& key, const QByteArray& value,
                                                 std::uint64_t revision) {
    auto bucket = connection_->bucket(ControlWatcher::bucketSpec(*connection_));
    return bucket.ok() ? bucket.value()->update(key, value, revision)
                       : FleetResult<std::uint64_t>(bucket.error());
}

FleetResult<std::uint64_t> ControlWriter::remove(const QString& key, std::uint64_t revision) {
    auto bucket = connection_->bucket(ControlWatcher::bucketSpec(*connection_));
    return bucket.ok() ? bucket.value()->remove(key, revision) : FleetResult<std::uint64_t>(bucket.error());
}

}  // namespace tai::fleet
