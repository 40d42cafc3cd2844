#pragma once

#include "deployments/infra_driver.h"
#include "jidoka/circuit_breaker.h"

#include <QString>

#include <map>
#include <memory>
#include <variant>

namespace tai {

// The breakers on a deployment action's path (DESIGN.md §5.3): the region's and the global one.
// Both must let the action through, and its result counts on both.
class ActionPermits {
public:
    // Both permits, or why the action is blocked (a permit taken from the first is handed back).
    static std::variant<ActionPermits, QString> acquire(
        const std::map<QString, std::unique_ptr<CircuitBreaker>>& breakers, const QString& region,
        DeploymentAction action);

    void settle(bool ok) const;  // the action's outcome, on both breakers

private:
    ActionPermits(CircuitBreaker& regional, BreakerPermit regionalPermit, CircuitBreaker& global,
                  BreakerPermit globalPermit);

    CircuitBreaker* regional_;
    BreakerPermit regionalPermit_;
    CircuitBreaker* global_;
    BreakerPermit globalPermit_;
};

}  // namespace tai
