#pragma once

#include "fleet/fleet_message.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace tai::fleet {

// A command that reached this instance, as a value.
struct FleetRequest {
    enum class Target {
        Instance,  // tai.<fleet>.ctl.<this instance>
        All,       // tai.<fleet>.ctl.all
        Deploy,    // tai.<fleet>.deploy (only the controller serves it)
    };
    Target target = Target::Instance;
    QByteArray data;
    QByteArray traceparent;  // the sender's, to link the traces across instances
    QString from;            // the sender's instance id, if it gave one
    FleetMessage message;    // everything, headers included
};

// What a command handler answers. `status` follows HTTP (2xx: applied); `reason` is one short line
// for a summary ("refused (409 rollout already active)").
struct FleetAnswer {
    int status = 200;
    QString reason;
    QByteArray body;
};

}  // namespace tai::fleet

Q_DECLARE_METATYPE(tai::fleet::FleetRequest)
