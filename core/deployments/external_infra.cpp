#include "deployments/external_infra.h"

namespace tai {

ExternalInfra::ExternalInfra(InfraDriver& base, std::unique_ptr<PrometheusHealth> health,
                             std::unique_ptr<WebhookActions> actions)
    : base_(base), health_(std::move(health)), actions_(std::move(actions)) {}

ExternalInfra::~ExternalInfra() = default;

bool ExternalInfra::imageExists(const QString& service, const QString& version) const {
    return base_.imageExists(service, version);
}

bool ExternalInfra::hasCapacity(const QString& service, const QString& region, TimePoint now) const {
    return base_.hasCapacity(service, region, now);
}

std::optional<QString> ExternalInfra::stableVersion(const QString& service, const QString& region) const {
    return base_.stableVersion(service, region);
}

HealthSample ExternalInfra::stableHealth(const QString& service, const QString& region, TimePoint now) const {
    return base_.stableHealth(service, region, now);
}

void ExternalInfra::setStable(const QString& service, const QString& region, const QString& version) {
    base_.setStable(service, region, version);
}

std::uint64_t ExternalInfra::health(const QString& service, const QString& version, const QString& region,
                                    int weight, std::uint64_t sample, TimePoint now, HealthDone done) {
    if (!health_) {
        return base_.health(service, version, region, weight, sample, now, std::move(done));
    }
    return health_->measure(service, version, region, weight, std::move(done));
}

void ExternalInfra::cancelHealth(std::uint64_t handle) {
    if (health_) {
        health_->cancel(handle);
    } else {
        base_.cancelHealth(handle);
    }
}

std::uint64_t ExternalInfra::runAction(DeploymentAction action, const QString& deployment,
                                       const QString& region, int step, ActionDone done) {
    if (!actions_) {
        return base_.runAction(action, deployment, region, step, std::move(done));
    }
    return actions_->run(action, deployment, region, step, std::move(done));
}

void ExternalInfra::cancelAction(std::uint64_t handle) {
    if (actions_) {
        actions_->cancel(handle);
    } else {
        base_.cancelAction(handle);
    }
}

void ExternalInfra::rollBack(const QString& service, const QString& deployment, const QString& region,
                             const QString& toVersion, ActionDone done) {
    base_.setStable(service, region, toVersion);
    if (actions_ == nullptr) {
        done(ActionResult{});
        return;
    }
    actions_->rollBack(deployment, region, service, toVersion, std::move(done));
}

}  // namespace tai
