#pragma once

#include "cli.h"

namespace tai::app {

int runScenarioList();
// `scenario run NAME|FILE`: the run on the virtual clock, the report (§9.5), a summary on stdout.
int runScenarioMode(int& argc, char** argv, const CliOptions& options);

}  // namespace tai::app
