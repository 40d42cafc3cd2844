#pragma once

#include "deployments/infra_driver.h"

#include <QHash>

#include <QString>
#include <QStringList>
#include <unordered_map>

#include <cstdint>
#include <optional>
#include <vector>

namespace tai {

// An injected infrastructure fault (§8, §9.4 infra.fault), for one region and optionally one version.
struct InfraFault {
    QString region;
    QString version;  // empty: any version
    std::optional<double> errorRate;
    std::optional<int> p99Ms;
    std::optional<double> actionFailureRate;
    std::optional<int> capacity;  // 0: no capacity in the region
    std::optional<TimePoint> until;
    bool operator==(const InfraFault&) const = default;
};

// The simulated infrastructure: an image registry, per-region capacity, the stable versions and
// their health, deployment actions that can fail, and the health of a new version as a function
// of its traffic weight and the injected faults. Seeded and deterministic.
class InfraSimulator final : public InfraDriver {
public:
    InfraSimulator(std::uint64_t seed, QStringList regions, Clock& clock);
    ~InfraSimulator() override;

    bool imageExists(const QString& service, const QString& version) const override;
    bool hasCapacity(const QString& service, const QString& region, TimePoint now) const override;
    std::optional<QString> stableVersion(const QString& service, const QString& region) const override;
    HealthSample stableHealth(const QString& service, const QString& region, TimePoint now) const override;
    void setStable(const QString& service, const QString& region, const QString& version) override;
    // Answers at once, inside the call, so a rollout on the virtual clock samples exactly when it
    // asks. `sample` keys the noise.
    std::uint64_t health(const QString& service, const QString& version, const QString& region, int weight,
                         std::uint64_t sample, TimePoint now, HealthDone done) override;
    void cancelHealth(std::uint64_t) override {}  // nothing is ever in flight
    HealthSample measure(const QString& service, const QString& version, const QString& region, int weight,
                         std::uint64_t sample, TimePoint now) const;
    // Actions complete at once in simulated time; what they can do is fail.
    std::uint64_t runAction(DeploymentAction action, const QString& deployment, const QString& region,
                            int step, ActionDone done) override;
    void cancelAction(std::uint64_t handle) override;
    ActionResult run(DeploymentAction action, const QString& deployment, const QString& region, int step,
                     TimePoint now) const;

    void addFault(const InfraFault& fault);
    void clearFaults(const QString& region);
    std::vector<InfraFault> activeFaults(TimePoint now) const;

    const QStringList& regions() const { return regions_; }
    const QStringList& services() const { return services_; }

private:
    const InfraFault* faultFor(const QString& region, const QString& version, TimePoint now,
                               bool (*has)(const InfraFault&)) const;

    std::uint64_t seed_;
    Clock& clock_;
    QStringList regions_;
    std::unordered_map<std::uint64_t, TimerId> actions_;  // running, by handle
    std::uint64_t nextAction_ = 1;
    QStringList services_;
    QHash<QString, QString> stable_;  // "service@region" → version
    std::vector<InfraFault> faults_;
};

}  // namespace tai
