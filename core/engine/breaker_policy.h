#pragma once

#include "jidoka/breaker_types.h"

namespace tai {

class PolicyReader;

// Reads one `breaker` block of a policy file (`payments.breaker`, `deployments.breaker`; §6,
// §9.1) into `config`; a missing key keeps the value already there.
void readBreakerPolicy(PolicyReader& reader, BreakerConfig& config);

}  // namespace tai
