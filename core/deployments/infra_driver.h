#pragma once

#include "base/clock.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <optional>

namespace tai {

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

// The infrastructure a rollout acts on (DESIGN.md §5): an image registry, per-region capacity, the
// stable version of each service and its health, the new version's health at a traffic weight, and
// the deployment actions. The simulator is one implementation (§8); a driver for real
// infrastructure is another. Everything runs on the engine thread; an action answers through its
// callback, later or at once, exactly once unless cancelled.
class InfraDriver {
public:
    using ActionDone = std::function<void(const ActionResult&)>;

    virtual ~InfraDriver() = default;

    virtual bool imageExists(const QString& service, const QString& version) const = 0;
    virtual bool hasCapacity(const QString& service, const QString& region, TimePoint now) const = 0;
    virtual std::optional<QString> stableVersion(const QString& service, const QString& region) const = 0;
    virtual HealthSample stableHealth(const QString& service, const QString& region, TimePoint now) const = 0;
    virtual void setStable(const QString& service, const QString& region, const QString& version) = 0;
    // The new version's health at `weight` percent of traffic. `sample` numbers the sample.
    virtual HealthSample health(const QString& service, const QString& version, const QString& region,
                                int weight, std::uint64_t sample, TimePoint now) const = 0;
    // Starts one action; returns a handle for cancelAction(). `step` numbers the action.
    virtual std::uint64_t runAction(DeploymentAction action, const QString& deployment, const QString& region,
                                    int step, ActionDone done) = 0;
    virtual void cancelAction(std::uint64_t handle) = 0;
};

}  // namespace tai
