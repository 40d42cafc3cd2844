#pragma once

#include "sim/clock.h"

#include <QHash>
#include <QString>
#include <QStringList>

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
};

struct HealthSample {
    double errorRate = 0;
    double p99Ms = 0;
};

enum class DeploymentAction { ApplyConfig, RollPods, ShiftTraffic };
QString toString(DeploymentAction action);

struct ActionResult {
    bool ok = true;
    Duration takes{0};
    QString error;
};

// The simulated infrastructure: an image registry, per-region capacity, the stable versions and
// their health, deployment actions that can fail, and the health of a new version as a function
// of its traffic weight and the injected faults. Seeded and deterministic.
class InfraSimulator {
public:
    InfraSimulator(std::uint64_t seed, QStringList regions);

    bool imageExists(const QString& service, const QString& version) const;
    bool hasCapacity(const QString& service, const QString& region, TimePoint now) const;
    std::optional<QString> stableVersion(const QString& service, const QString& region) const;
    HealthSample stableHealth(const QString& service, const QString& region, TimePoint now) const;
    void setStable(const QString& service, const QString& region, const QString& version);

    // The new version's health at `weight` percent of traffic. `sample` keys the noise.
    HealthSample health(const QString& service, const QString& version, const QString& region, int weight,
                        std::uint64_t sample, TimePoint now) const;
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
    QStringList regions_;
    QStringList services_;
    QHash<QString, QString> stable_;  // "service@region" → version
    std::vector<InfraFault> faults_;
};

}  // namespace tai
