#pragma once

#include "engine/engine_snapshot.h"

#include <QByteArray>

namespace tai {

// GET /metrics: the Prometheus text exposition format (version 0.0.4).
QByteArray prometheusText(const EngineSnapshot& snapshot);

}  // namespace tai
