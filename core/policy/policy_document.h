#pragma once

#include "payments/payments_config.h"

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

struct AndonRuleConfig {
    QString name;
    double threshold = 0;
    QString severity;
    int forS = 0;
};

// The `andon` part (§11): alert rules with their `for` durations.
struct AndonConfig {
    int minSamples = 20;
    int rateWindowS = 60;
    int eventAlertHoldS = 300;  // how long an event alert (a rollback) stays on the board
    std::vector<AndonRuleConfig> rules{{QStringLiteral("fraud_rate"), 0.02, QStringLiteral("CRITICAL"), 30},
                                       {QStringLiteral("breaker_open"), 0, QStringLiteral("CRITICAL"), 0},
                                       {QStringLiteral("p99_latency_ms"), 5000, QStringLiteral("HIGH"), 30},
                                       {QStringLiteral("error_rate"), 0.05, QStringLiteral("HIGH"), 30},
                                       {QStringLiteral("success_rate"), 0.95, QStringLiteral("HIGH"), 30}};
};

// A loaded, versioned policy file (§9.1).
struct PolicyDocument {
    QString version = QStringLiteral("builtin-default");
    PaymentsConfig payments;
    DeploymentsConfig deployments;
    AndonConfig andon;
};

struct PolicyLoadResult {
    PolicyDocument policy;
    QStringList errors;  // each names its key path; empty means loaded
    bool ok() const { return errors.isEmpty(); }
};

PolicyLoadResult parsePolicy(const QByteArray& json);
PolicyLoadResult loadPolicyFile(const QString& path);

}  // namespace tai
