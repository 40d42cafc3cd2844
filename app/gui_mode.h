#pragma once

#include "cli.h"

namespace tai::app {

// The console: the engine with the built-in demo load, and the main window.
int runGuiMode(int& argc, char** argv, const CliOptions& options);

}  // namespace tai::app
