#pragma once

#include "cli.h"

namespace tai::app {

// `tai-console bench`: every DESIGN.md §13 figure measured in one run, as a table or JSON.
// Exit 0, or 3 when the pipeline's counters do not reconcile.
int runBenchMode(int& argc, char** argv, const CliOptions& options);

}  // namespace tai::app
