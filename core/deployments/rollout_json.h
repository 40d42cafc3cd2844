#pragma once

#include "deployments/revision_history.h"
#include "deployments/rollout_types.h"

#include <QJsonObject>

#include <optional>

namespace tai {

// The durable form of a rollout, written on every stage change so that a restart can bring an
// in-flight rollout back as interrupted (§7).
QJsonObject rolloutToJson(const RolloutView& view);
std::optional<RolloutView> rolloutFromJson(const QJsonObject& json);
// What GET /v1/deployments/{id} answers for a rejected request: status "rejected" and its reasons.
QJsonObject rejectedDeploymentToJson(const RejectedDeployment& rejected);
// One row of GET /v1/services/{service}/revisions.
QJsonObject revisionToJson(const RevisionView& revision);

}  // namespace tai
