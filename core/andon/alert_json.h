#pragma once

#include "andon/andon_types.h"

#include <QJsonObject>

#include <cstdint>

namespace tai {

// One alert as the API, the webhook and the board's exports show it: times as RFC 3339, the
// acknowledgement and silence when there is one.
QJsonObject alertJson(const ActiveAlert& alert, std::int64_t nowMs);

}  // namespace tai
