#pragma once

#include "trace/trace_types.h"

#include <QByteArray>

#include <memory>
#include <vector>

namespace tai {

// An OTLP/JSON ExportTraceServiceRequest (opentelemetry-proto, JSON mapping: hex trace and span
// ids, nanosecond times as strings) for the given traces, as one compact line.
QByteArray otlpTraceRequest(const std::vector<std::shared_ptr<const PaymentTrace>>& traces);

}  // namespace tai
