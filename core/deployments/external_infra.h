#pragma once

#include "deployments/infra_driver.h"
#include "deployments/prometheus_health.h"
#include "deployments/webhook_actions.h"

#include <memory>

namespace tai {

// Real systems behind the InfraDriver seam where the policy names them: the new version's health
// from Prometheus and the deployment actions through a webhook, each only when configured. The
// rest (the registry, capacity, the stable versions and their health) stays with `base`, the
// simulator, which must outlive this.
class ExternalInfra final : public InfraDriver {
public:
    ExternalInfra(InfraDriver& base, std::unique_ptr<PrometheusHealth> health,
                  std::unique_ptr<WebhookActions> actions);
    ~ExternalInfra() override;

    bool imageExists(const QString& service, const QString& version) const override;
    bool hasCapacity(const QString& service, const QString& region, TimePoint now) const override;
    std::optional<QString> stableVersion(const QString& service, const QString& region) const override;
    HealthSample stableHealth(const QString& service, const QString& region, TimePoint now) const override;
    void setStable(const QString& service, const QString& region, const QString& version) override;
    std::uint64_t health(const QString& service, const QString& version, const QString& region, int weight,
                         std::uint64_t sample, TimePoint now, HealthDone done) override;
    void cancelHealth(std::uint64_t handle) override;
    std::uint64_t runAction(DeploymentAction action, const QString& deployment, const QString& region,
                            int step, ActionDone done) override;
    void cancelAction(std::uint64_t handle) override;
    // The webhook, when there is one, is told (action "rollback").
    void rollBack(const QString& service, const QString& deployment, const QString& region,
                  const QString& toVersion, ActionDone done) override;

private:
    InfraDriver& base_;
    std::unique_ptr<PrometheusHealth> health_;
    std::unique_ptr<WebhookActions> actions_;
};

}  // namespace tai
