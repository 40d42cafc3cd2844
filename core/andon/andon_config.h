#pragma once

#include <QString>

#include <vector>

namespace tai {

struct AndonRuleConfig {
    QString name;
    double threshold = 0;
    QString severity;
    int forS = 0;
};

// The `andon` part of the policy file (§11): alert rules with their `for` durations.
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

}  // namespace tai
