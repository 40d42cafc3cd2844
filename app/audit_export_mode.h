#pragma once

#include "cli.h"

namespace tai::app {

int runAuditExportMode(const CliOptions& options);

}  // namespace tai::app
