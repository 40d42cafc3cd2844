#pragma once

#include "cli.h"

namespace tai::app {

// `tai-console audit recover [--data-dir DIR]`, also `--recover-audit` (issue 14 item 2).
int runAuditRecoverMode(const CliOptions& options);

}  // namespace tai::app
