#pragma once

#include "cli.h"

namespace tai {
class Engine;
}

namespace tai::app {

// Applies --fault after --fault-after seconds, as an audited command from the command line.
void scheduleStartupFault(Engine& engine, const CliOptions& options);

}  // namespace tai::app
