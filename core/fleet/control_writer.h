#pragma once

#include "fleet/fleet_error.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace tai::fleet {

class FleetConnection;

// Writes the fleet's operator intent (tai_<fleet>_control): breaker overrides, silences, acks,
// the policy version, the leveling share. Every instance's ControlWatcher applies it. Blocking.
class ControlWriter {
public:
    explicit ControlWriter(std::shared_ptr<FleetConnection> connection);

    FleetResult<std::uint64_t> put(const QString& key, const QByteArray& value);
    // Only if the key is still at `revision` (what the operator saw).
    FleetResult<std::uint64_t> update(const QString& key, const QByteArray& value, std::uint64_t revision);
    FleetResult<std::uint64_t> remove(const QString& key, std::uint64_t revision);

private:
    std::shared_ptr<FleetConnection> connection_;
};

}  // namespace tai::fleet
