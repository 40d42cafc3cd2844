#pragma once

#include "engine/engine_snapshot.h"

#include <QString>

namespace tai::app {

// One log line that tells an engineer how the engine is doing.
QString kpiSummaryLine(const EngineSnapshot& snapshot);

}  // namespace tai::app
