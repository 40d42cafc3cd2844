#pragma once

#include "engine/engine_command.h"

namespace tai {

// How a command is named in the audit trail and on the timeline. These texts are part of every
// scenario's audit digest: change them and the digests move.
QString commandName(const EngineCommand& command);     // set_gateway_fault, force_open, pause, …
QString commandSubject(const EngineCommand& command);  // payment-gateway, the breaker, the deployment, …
QString describe(const EngineCommand& command);        // "ana set gateway fault: outage (vendor down)"

// The reason a breaker control hands to the breaker: "force_open by ana: maintenance".
QString breakerControlReason(const ControlBreaker& command);

}  // namespace tai
