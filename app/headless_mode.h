#pragma once

#include "cli.h"

namespace tai::app {

int runHeadlessMode(const CliOptions& options);

}  // namespace tai::app
