#pragma once

#include "base/clock.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace tai {

enum class RolloutStatus { InProgress, Paused, Completed, RolledBack, Aborted, Failed, Interrupted };
QString toString(
    RolloutStatus status);  // in_progress, paused, completed, rolled_back, aborted, failed, interrupted

enum class RolloutControl { Pause, Resume, Promote, PromoteFull, Abort, Rollback, Retry };
QString toString(RolloutControl control);  // pause, resume, promote, promote_full, abort, rollback, retry
std::optional<RolloutControl> rolloutControlFromString(QStringView text);

struct HealthPoint {
    TimePoint at;
    double errorRate = 0;
    double p99Ms = 0;
};

// One region of a rollout as the console shows it. `stage` is pending, a configured stage name
// (canary, staging, prod…), done, rolled_back or cancelled.
struct RegionView {
    QString region;
    QString stage = QStringLiteral("pending");
    int stageIndex = -1;  // into the configured stages while in one
    int weight = 0;       // percent of traffic on the new version
    double elapsedS = 0;  // in the current stage
    double plannedS = 0;
    bool baking = false;              // at 100 %, waiting out the bake time before the next region
    std::vector<HealthPoint> health;  // recent samples, oldest first
    QString note;                     // what happened last: an action, a reason
};

struct RolloutView {
    QString id;
    QString service;
    QString version;
    QString requestedBy;
    RolloutStatus status = RolloutStatus::InProgress;
    TimePoint createdAt;
    std::vector<RegionView> regions;
    int activeRegion = -1;
    double mttrS = -1;  // detection to weight 0 of the last rollback
    QStringList stageNames;
    QList<int> stageWeights;
    double maxErrorRate = 0.05;
    double maxP99Ms = 1000;
    double marginalErrorRate = 0.025;
    double marginalP99Ms = 500;
};

// A report event of §9.5: rollout_stage and rollback.
struct RolloutReportEvent {
    TimePoint at;
    QString kind;  // rollout_stage, rollback
    QString deployment;
    QString region;
    QString stage;  // for rollout_stage
    int weight = 0;
    QString reason;  // for rollback
};

}  // namespace tai
