#pragma once

#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <optional>

namespace tai {

// Money is integer minor units (cents), never a float (§4.1).
// Accepts a decimal string matching ^[0-9]+(\.[0-9]{1,2})?$ or a finite JSON number with at
// most two decimals. Returns nullopt for anything else; range checks are the caller's.
std::optional<std::int64_t> parseMinorUnits(const QJsonValue& value);
std::optional<std::int64_t> parseMinorUnits(QStringView decimal);
QString formatMinorUnits(std::int64_t minor);  // "1234.50"

}  // namespace tai
