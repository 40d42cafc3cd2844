#pragma once

#include "deployments/deployments_config.h"
#include "deployments/infra_driver.h"
#include "deployments/rollout_types.h"

#include <cstdint>

namespace tai {

// The health measurement of one rollout (DESIGN.md §5.4): at most one in flight, a newer one
// supersedes an older, and a cancelled or superseded answer does nothing, even from a driver that
// answers after cancelHealth(). Engine thread; owned by the RolloutRun it measures for.
class HealthProbe {
public:
    explicit HealthProbe(InfraDriver& infra) : infra_(infra) {}
    ~HealthProbe() { cancel(); }
    HealthProbe(const HealthProbe&) = delete;
    HealthProbe& operator=(const HealthProbe&) = delete;

    // Asks the driver for one sample of `version` at `weight` percent; `done` runs once, with the
    // answer, unless cancel() or another ask() comes first. A simulator may answer inside the call.
    void ask(const QString& service, const QString& version, const QString& region, int weight,
             std::uint64_t sample, TimePoint now, InfraDriver::HealthDone done);
    void cancel();

private:
    InfraDriver& infra_;
    std::uint64_t query_ = 0;  // the driver's handle while a measurement is in flight
    std::uint64_t token_ = 0;  // bumped per ask and per cancel: a stale answer finds another token
    bool asked_ = false;       // between asking and the answer
};

// What the analysis makes of one sample against the policy's thresholds (§5.4).
struct HealthVerdict {
    MeasurementResult result = MeasurementResult::Pass;
    bool inconclusive = false;  // the measurement could not be taken: marginal, never a fail
    QString reason;             // a failing sample: which threshold it broke
    QString measured;           // a marginal sample: what was measured, or why nothing was
};

HealthVerdict judgeHealth(const DeploymentsConfig& config, const HealthSample& sample);

}  // namespace tai
