#pragma once

#include "fleet/command_answers.h"
#include "fleet/fleet_error.h"

#include <QStringList>

#include <chrono>
#include <memory>

namespace tai::fleet {

class FleetConnection;

// Sends commands to the fleet: to one instance (request/reply on tai.<fleet>.ctl.<instance>), to
// all (tai.<fleet>.ctl.all, gathering answers until the deadline or until every expected instance
// answered), or to the controller (tai.<fleet>.deploy). Every message carries the caller's
// traceparent. Blocking for up to the timeout: run it on a FleetIoThread.
class FleetCommander {
public:
    struct Options {
        std::chrono::milliseconds memberTtl{10'000};  // must match the FleetMembership's
    };

    explicit FleetCommander(std::shared_ptr<FleetConnection> connection);
    FleetCommander(std::shared_ptr<FleetConnection> connection, Options options);

    CommandAnswer sendTo(const QString& instance, const QByteArray& command, const QByteArray& traceparent,
                         std::chrono::milliseconds timeout);
    // `expected` empty: the live members of the fleet, read first.
    FleetResult<BroadcastResult> broadcast(const QByteArray& command, const QByteArray& traceparent,
                                           std::chrono::milliseconds timeout, QStringList expected = {});
    CommandAnswer sendDeployment(const QByteArray& request, const QByteArray& traceparent,
                                 std::chrono::milliseconds timeout);

private:
    CommandAnswer requestOne(const QString& subject, const QString& instance, const QByteArray& data,
                             const QByteArray& traceparent, std::chrono::milliseconds timeout);

    std::shared_ptr<FleetConnection> connection_;
    Options options_;
};

}  // namespace tai::fleet
