#pragma once

#include "base/refusal.h"
#include "deployments/rollout_types.h"

#include <QString>

#include <variant>
#include <vector>

namespace tai {

// One revision of a service (Argo Rollouts' revision history): every rollout the safety policy
// accepted, numbered from 1 in the order they were requested.
struct RevisionView {
    int revision = 0;
    QString deployment;
    QString version;
    QString requestedBy;
    RolloutStatus status = RolloutStatus::InProgress;
    TimePoint createdAt;
};

// The revisions of `service` among `rollouts`, oldest first.
std::vector<RevisionView> revisionHistory(const std::vector<RolloutView>& rollouts, const QString& service);

// The revision an undo goes back to: `toRevision`, or with 0 the newest completed revision older
// than the current one (the newest completed) that runs another version. Refused when the service
// has no revisions (404 service), the revision does not exist (404 to_revision), it never completed
// or it is what runs now (409), or a rollout of the service is still in flight (409).
std::variant<RevisionView, Refusal> undoTarget(const std::vector<RevisionView>& history,
                                               const QString& service, int toRevision);

}  // namespace tai
