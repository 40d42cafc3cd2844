#pragma once

#include "cli.h"

namespace tai::app {

int runReplayMode(const CliOptions& options);

}  // namespace tai::app
