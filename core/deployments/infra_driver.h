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
    // Non-empty when the measurement could not be taken (a query failed, no data): the analysis
    // then neither passes nor fails the sample (Argo's Inconclusive), and this says why.
    QString error;
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
// infrastructure is another. Everything runs on the engine thread; a health measurement and an
// action answer through their callbacks, later or at once (inside the call), exactly once unless
// cancelled.
class InfraDriver {
public:
    using ActionDone = std::function<void(const ActionResult&)>;
    using HealthDone = std::function<void(const HealthSample&)>;

    virtual ~InfraDriver() = default;

    virtual bool imageExists(const QString& service, const QString& version) const = 0;
    virtual bool hasCapacity(const QString& service, const QString& region, TimePoint now) const = 0;
    virtual std::optional<QString> stableVersion(const QString& service, const QString& region) const = 0;
    virtual HealthSample stableHealth(const QString& service, const QString& region, TimePoint now) const = 0;
    virtual void setStable(const QString& service, const QString& region, const QString& version) = 0;
    // Measures the new version's health at `weight` percent of traffic. `sample` numbers the
    // sample. Returns a handle for cancelHealth(); a cancelled measurement never answers.
    virtual std::uint64_t health(const QString& service, const QString& version, const QString& region,
                                 int weight, std::uint64_t sample, TimePoint now, HealthDone done) = 0;
    virtual void cancelHealth(std::uint64_t handle) = 0;
    // Starts one action; returns a handle for cancelAction(). `step` numbers the action.
    virtual std::uint64_t runAction(DeploymentAction action, const QString& deployment, const QString& region,
                                    int step, ActionDone done) = 0;
    virtual void cancelAction(std::uint64_t handle) = 0;
    // Puts `region` back on `toVersion` now, as a rollback does: a safety action, never blocked and
    // never waited for. A real system is told, and `done` says whether it confirmed (a failure is
    // the operator's to see; the traffic is already back on the old version as far as we know).
    // The simulator's is setStable() and a confirmation at once.
    virtual void rollBack(const QString& service, const QString& /*deployment*/, const QString& region,
                          const QString& toVersion, ActionDone done) {
        setStable(service, region, toVersion);
        done(ActionResult{});
    }
};

}  // namespace tai
