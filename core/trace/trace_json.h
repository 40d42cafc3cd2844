#pragma once

#include "trace/trace_types.h"

#include <QJsonObject>

namespace tai {

// GET /v1/traces/{id}: the span tree and the "why" facts. `summary` leaves out the spans.
QJsonObject traceJson(const PaymentTrace& trace, bool summary = false);

}  // namespace tai
