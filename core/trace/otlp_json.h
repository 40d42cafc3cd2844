#pragma once

#include "trace/kept_trace.h"

#include <QByteArray>

#include <memory>
#include <vector>

namespace tai {

// An OTLP/JSON ExportTraceServiceRequest (opentelemetry-proto, JSON mapping: hex trace and span
// ids, nanosecond times and 64-bit integers as strings) for the given traces, as one compact line.
QByteArray otlpTraceRequest(const std::vector<std::shared_ptr<const KeptTrace>>& traces);

}  // namespace tai
