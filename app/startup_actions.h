#pragma once

#include "cli.h"

namespace tai {
class Engine;
}

namespace tai::app {

// Applies what the command line asks for at start (--fault after --fault-after, --infra-fault,
// --deploy) as audited commands from "command-line".
void scheduleStartupActions(Engine& engine, const CliOptions& options);

}  // namespace tai::app
