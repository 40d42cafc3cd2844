#include "deployments/rollout_types.h"

namespace tai {

QString toString(RolloutStatus status) {
    switch (status) {
        case RolloutStatus::InProgress:
            return QStringLiteral("in_progress");
        case RolloutStatus::Paused:
            return QStringLiteral("paused");
        case RolloutStatus::Completed:
            return QStringLiteral("completed");
        case RolloutStatus::RolledBack:
            return QStringLiteral("rolled_back");
        case RolloutStatus::Aborted:
            return QStringLiteral("aborted");
        case RolloutStatus::Failed:
            return QStringLiteral("failed");
        case RolloutStatus::Interrupted:
            return QStringLiteral("interrupted");
    }
    return {};
}

QString toString(MeasurementResult result) {
    switch (result) {
        case MeasurementResult::Pass:
            return QStringLiteral("pass");
        case MeasurementResult::Marginal:
            return QStringLiteral("marginal");
        case MeasurementResult::Fail:
            return QStringLiteral("fail");
    }
    return {};
}

QString toString(RolloutControl control) {
    switch (control) {
        case RolloutControl::Pause:
            return QStringLiteral("pause");
        case RolloutControl::Resume:
            return QStringLiteral("resume");
        case RolloutControl::Promote:
            return QStringLiteral("promote");
        case RolloutControl::PromoteFull:
            return QStringLiteral("promote_full");
        case RolloutControl::Abort:
            return QStringLiteral("abort");
        case RolloutControl::Rollback:
            return QStringLiteral("rollback");
        case RolloutControl::Retry:
            return QStringLiteral("retry");
    }
    return {};
}

std::optional<RolloutControl> rolloutControlFromString(QStringView text) {
    for (int i = 0; i <= static_cast<int>(RolloutControl::Retry); ++i) {
        const auto control = static_cast<RolloutControl>(i);
        if (toString(control) == text) {
            return control;
        }
    }
    return std::nullopt;
}

}  // namespace tai
