#pragma once

#include "deployments/deployment_orchestrator.h"
#include "trace/kept_trace.h"

#include <vector>

namespace tai {

// One deployment's trace (§5.3: each deployment action is traced): a root span for the rollout
// and a child span per action (apply_config, roll_pods, shift_traffic, rollback) with its region,
// stage and outcome. The trace grows as actions finish; each version is a new immutable value.
class DeploymentTrace final : public KeptTrace {
public:
    struct Facts {
        QString deployment;
        QString service;
        QString version;
        QString requestedBy;
        QString status;  // the rollout's status when this version was recorded
        std::vector<DeploymentActionRecord> actions;
        bool includeRoot = true;  // false: only the actions (a batch of new spans for export)
    };

    DeploymentTrace(QString traceId, TimePoint start, TimePoint end, Facts facts)
        : KeptTrace(std::move(traceId), start, end), facts_(std::move(facts)) {}

    const Facts& facts() const { return facts_; }
    QString system() const override { return QStringLiteral("deployments"); }
    // "deployment", "service", "outcome" (the rollout's status).
    QString tag(QStringView key) const override;
    QJsonObject summary() const override;
    std::vector<Span> spans() const override;

private:
    Facts facts_;
};

}  // namespace tai
