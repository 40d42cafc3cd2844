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
    // Argo's indefinite pause step: the weight of the stage before, held until an operator
    // promotes. No traffic action, no planned duration.
    bool pause = false;
    // Flagger's manual gating: once its duration is up the stage waits for an operator's promote.
    bool requireConfirmation = false;
};

// What a marginal health measurement does (§5.4): raise the HIGH alert (today), or also pause the
// rollout for a human, who promotes or rolls back (Argo's Inconclusive).
enum class OnMarginal { Alert, Pause };

// `deployments.health_provider`: the new version's health read from a real Prometheus instead of
// the simulator (README "Health and action wire contract"). Each expression is a PromQL instant
// query with {service}, {version}, {region} and {weight} put in; the first value it yields counts.
struct PrometheusHealthConfig {
    QString url;             // empty: the simulator measures
    QString errorRateQuery;  // a fraction, 0 to 1
    QString p99MsQuery;      // milliseconds
    int timeoutMs = 5000;    // per query, and never beyond the health interval
    bool operator==(const PrometheusHealthConfig&) const = default;
};

// `deployments.action_webhook`: each deployment action POSTed to a webhook, whose status is the
// action's result (README "Health and action wire contract").
struct ActionWebhookConfig {
    QString url;  // empty: the simulator acts
    int timeoutS = 30;
    bool operator==(const ActionWebhookConfig&) const = default;
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
    OnMarginal onMarginal = OnMarginal::Alert;
    BreakerConfig breaker;
    PrometheusHealthConfig healthProvider;
    ActionWebhookConfig actionWebhook;
};

}  // namespace tai
