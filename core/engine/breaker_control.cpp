#include "engine/breaker_control.h"

#include "engine/command_text.h"

namespace tai {

void applyBreakerControl(CircuitBreaker& breaker, const ControlBreaker& command) {
    const QString reason = breakerControlReason(command);
    switch (command.control) {
        case BreakerControl::ForceOpen:
            breaker.forceOpen(reason);
            break;
        case BreakerControl::ForceHalfOpen:
            breaker.forceHalfOpen(reason);
            break;
        case BreakerControl::ForceClosed:
            breaker.forceClosed(reason);
            break;
        case BreakerControl::Release:
            breaker.release(reason);
            break;
        case BreakerControl::MetricsOnly:
            breaker.metricsOnly(reason);
            break;
        case BreakerControl::Disable:
            breaker.disable(reason);
            break;
    }
}

}  // namespace tai
