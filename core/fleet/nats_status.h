#pragma once

// Internal to tai::fleet: libnats statuses as FleetError values with a message a person can act on.
#include "fleet/fleet_error.h"

#include <nats/nats.h>

namespace tai::fleet::nats {

// `what` names the call ("claim k.1f…", "bucket tai_x_idem"). A write whose acknowledgement timed
// out is Uncertain, not Unavailable: it may have landed.
FleetError toError(natsStatus status, int code, const QString& what, bool wasWrite);

}  // namespace tai::fleet::nats
