#pragma once

#include "base/refusal.h"
#include "deployments/rollout_types.h"

#include <QString>

#include <functional>
#include <optional>

namespace tai {

class RolloutRun;

// The operator controls of §5.5 on one rollout: pause, resume, promote, promote full, abort,
// rollback of a region and retry. Each is refused, with the reason, when the rollout's state
// does not allow it; a refused control changes nothing.
class RolloutControls {
public:
    explicit RolloutControls(RolloutRun& run) : run_(run) {}

    // `anotherActive` says whether the service has another rollout in flight (retry needs not).
    std::optional<Refusal> apply(RolloutControl control, const QString& region, const QString& why,
                                 const std::function<bool(const QString& service)>& anotherActive);

private:
    RolloutRun& run_;
};

}  // namespace tai
