#pragma once

#include "engine/engine_command.h"
#include "jidoka/circuit_breaker.h"

namespace tai {

// Carries out an operator's breaker command (§6) on `breaker`, the reason naming who and why.
void applyBreakerControl(CircuitBreaker& breaker, const ControlBreaker& command);

}  // namespace tai
