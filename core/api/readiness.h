#pragma once

#include "api/http_reply.h"
#include "engine/engine_snapshot.h"

namespace tai {

// GET /readyz from the latest snapshot: 200 when the engine runs and its audit trail commits; 503
// with the reason (field "engine" or "storage") and Retry-After otherwise (issue 14).
HttpReply readiness(const SnapshotPtr& snapshot);

}  // namespace tai
