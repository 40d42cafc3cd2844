#include "deployments/action_permits.h"

namespace tai {

ActionPermits::ActionPermits(CircuitBreaker& regional, BreakerPermit regionalPermit, CircuitBreaker& global,
                             BreakerPermit globalPermit)
    : regional_(&regional), regionalPermit_(regionalPermit), global_(&global), globalPermit_(globalPermit) {}

std::variant<ActionPermits, QString> ActionPermits::acquire(
    const std::map<QString, std::unique_ptr<CircuitBreaker>>& breakers, const QString& region,
    DeploymentAction action) {
    CircuitBreaker& regional = *breakers.at(QStringLiteral("deploy:") + region);
    CircuitBreaker& global = *breakers.at(QStringLiteral("deploy:global"));
    const BreakerPermit regionalPermit = regional.tryAcquire();
    if (!regionalPermit.allowed) {
        return QStringLiteral("%1 blocked: breaker deploy:%2 is open").arg(toString(action), region);
    }
    const BreakerPermit globalPermit = global.tryAcquire();
    if (!globalPermit.allowed) {
        regional.onSuccess(regionalPermit);
        return QStringLiteral("%1 blocked: breaker deploy:global is open").arg(toString(action));
    }
    return ActionPermits(regional, regionalPermit, global, globalPermit);
}

void ActionPermits::settle(bool ok) const {
    if (ok) {
        regional_->onSuccess(regionalPermit_);
        global_->onSuccess(globalPermit_);
    } else {
        regional_->onFailure(regionalPermit_);
        global_->onFailure(globalPermit_);
    }
}

}  // namespace tai
