#pragma once

#include <QByteArray>

namespace tai {

// The process collector every Prometheus client library has, read from /proc/self on each
// scrape: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds and
// process_max_fds, with the standard names, types and help. A family whose source cannot be
// read is left out rather than reported as 0.
QByteArray processMetricsText();

}  // namespace tai
