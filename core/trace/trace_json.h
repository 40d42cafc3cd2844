#pragma once

#include "trace/kept_trace.h"

#include <QJsonObject>

namespace tai {

// GET /v1/traces/{id}: the trace's summary, its "why" facts and its span tree. `summary` leaves
// out the facts and the spans (the list of GET /v1/traces).
QJsonObject traceJson(const KeptTrace& trace, bool summary = false);

}  // namespace tai
