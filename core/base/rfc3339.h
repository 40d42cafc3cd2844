#pragma once

#include "base/clock.h"

#include <QString>

#include <optional>

namespace tai {

// Strict RFC 3339 date-time ("2026-11-26T10:00:00.250Z", "...+01:00"). Qt's ISO parser is lenient
// (it accepts a missing offset), which would make timestamps silently local-time dependent.
std::optional<TimePoint> parseRfc3339(QStringView text);
QString formatRfc3339(TimePoint t);  // UTC, millisecond precision

}  // namespace tai
