#pragma once

#include "policy/policy_document.h"

#include <optional>

namespace tai::app {

// The policy from --policy, or the built-in defaults. On error, prints every problem (each
// naming its key path) to stderr and returns nullopt: nothing starts half-configured.
std::optional<PolicyDocument> loadPolicyOrReport(const QString& path);

}  // namespace tai::app
