#pragma once

#include "jidoka/breaker_types.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace tai {

struct RolloutStageConfig {
    QString name;
    int weightPercent = 0;
    int durationS = 0;
};

// The `deployments` part of the policy file (§5), in the same style as `payments`.
struct DeploymentsConfig {
    QStringList regions{QStringLiteral("us-west-2"), QStringLiteral("us-east-1"),
                        QStringLiteral("eu-west-1")};
    std::vector<RolloutStageConfig> stages{{QStringLiteral("canary"), 5, 300},
                                           {QStringLiteral("staging"), 25, 600},
                                           {QStringLiteral("prod"), 100, 0}};
    int healthIntervalS = 10;
    int bakeTimeS = 60;
    int failureLimit = 1;
    double maxErrorRate = 0.05;
    int maxP99Ms = 1000;
    double marginalErrorRate = 0.025;
    int marginalP99Ms = 500;
    double slowStageFactor = 1.5;
    BreakerConfig breaker;
};

}  // namespace tai
