#pragma once

#include "deployments/deployment_signal.h"
#include "deployments/deployments_config.h"
#include "deployments/infra_driver.h"
#include "policy/composite_policy.h"

#include <QSet>

namespace tai {

// What the safety rules look at.
struct DeploymentSubject {
    const DeploymentSignal* signal = nullptr;
    QStringList regions;  // resolved target regions
    const InfraDriver* infra = nullptr;
    const DeploymentsConfig* config = nullptr;
    bool rolloutInProgress = false;
    TimePoint now;
};

// The §5.2 safety policy: every check must pass; a rejection lists every failing reason.
// It is the same CompositePolicy as fraud, with weight 1 per check and a reject score of 1.
class SafetyPolicy {
public:
    SafetyPolicy();
    PolicyDecision evaluate(const DeploymentSubject& subject) const { return policy_.evaluate(subject); }
    std::vector<QString> reasonsOf(const PolicyDecision& decision) const {
        return policy_.reasonsOf(decision);
    }

private:
    CompositePolicy<DeploymentSubject> policy_;
};

}  // namespace tai
