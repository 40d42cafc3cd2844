#pragma once

#include "cli.h"
#include "engine/engine_config.h"
#include "engine/policy_document.h"

#include <optional>

namespace tai::app {

// The policy from --policy, or the built-in defaults. On error, prints every problem (each
// naming its key path) to stderr and returns nullopt: nothing starts half-configured.
std::optional<PolicyDocument> loadPolicyOrReport(const QString& path);

// The engine configuration the command line asks for (policy, seed, load, audit trail).
// Nullopt when the policy file is bad (already reported).
std::optional<EngineConfig> engineConfigFor(const CliOptions& options);

}  // namespace tai::app
