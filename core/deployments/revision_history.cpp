#include "deployments/revision_history.h"

#include <algorithm>

namespace tai {

namespace {
// d-7 before d-10; ids that are not numbered after, by name.
bool requestedBefore(const RolloutView& a, const RolloutView& b) {
    if (a.createdAt != b.createdAt) {
        return a.createdAt < b.createdAt;
    }
    bool aNumbered = false;
    bool bNumbered = false;
    const int an = a.id.startsWith(QStringLiteral("d-")) ? a.id.mid(2).toInt(&aNumbered) : 0;
    const int bn = b.id.startsWith(QStringLiteral("d-")) ? b.id.mid(2).toInt(&bNumbered) : 0;
    if (aNumbered != bNumbered) {
        return aNumbered;
    }
    return aNumbered ? an < bn : a.id < b.id;
}

bool inFlight(RolloutStatus status) {
    return status == RolloutStatus::InProgress || status == RolloutStatus::Paused ||
           status == RolloutStatus::Interrupted;
}
}  // namespace

std::vector<RevisionView> revisionHistory(const std::vector<RolloutView>& rollouts, const QString& service) {
    std::vector<const RolloutView*> mine;
    for (const RolloutView& r : rollouts) {
        if (r.service == service) {
            mine.push_back(&r);
        }
    }
    std::stable_sort(mine.begin(), mine.end(),
                     [](const RolloutView* a, const RolloutView* b) { return requestedBefore(*a, *b); });
    std::vector<RevisionView> out;
    out.reserve(mine.size());
    for (const RolloutView* r : mine) {
        out.push_back(RevisionView{static_cast<int>(out.size()) + 1, r->id, r->version, r->requestedBy,
                                   r->status, r->createdAt});
    }
    return out;
}

std::variant<RevisionView, Refusal> undoTarget(const std::vector<RevisionView>& history,
                                               const QString& service, int toRevision) {
    if (history.empty()) {
        return notFound(QStringLiteral("service"),
                        QStringLiteral("no revisions of '%1' to undo").arg(service.left(64)));
    }
    for (const RevisionView& r : history) {
        if (inFlight(r.status)) {
            return conflict(QStringLiteral("%1 has a rollout in flight (%2, %3): finish, abort or roll it "
                                           "back before an undo")
                                .arg(service, r.deployment, toString(r.status)));
        }
    }
    const auto current = std::find_if(history.rbegin(), history.rend(), [](const RevisionView& r) {
        return r.status == RolloutStatus::Completed;
    });
    if (toRevision == 0) {
        if (current != history.rend()) {
            const auto earlier =
                std::find_if(std::next(current), history.rend(), [&current](const RevisionView& r) {
                    return r.status == RolloutStatus::Completed && r.version != current->version;
                });
            if (earlier != history.rend()) {
                return *earlier;
            }
        }
        return conflict(QStringLiteral("%1 has no earlier completed revision to go back to").arg(service),
                        QStringLiteral("to_revision"));
    }
    if (toRevision < 1 || toRevision > static_cast<int>(history.size())) {
        return notFound(QStringLiteral("to_revision"), QStringLiteral("%1 has revisions 1 to %2, not %3")
                                                           .arg(service)
                                                           .arg(history.size())
                                                           .arg(toRevision));
    }
    const RevisionView& target = history[static_cast<std::size_t>(toRevision - 1)];
    if (target.status != RolloutStatus::Completed) {
        return conflict(QStringLiteral("revision %1 (%2 %3) ended %4: an undo goes back only to a revision "
                                       "that completed")
                            .arg(toRevision)
                            .arg(service, target.version, toString(target.status)),
                        QStringLiteral("to_revision"));
    }
    if (current != history.rend() && current->version == target.version) {
        return conflict(QStringLiteral("%1 already runs %2 (revision %3)")
                            .arg(service, target.version)
                            .arg(current->revision),
                        QStringLiteral("to_revision"));
    }
    return target;
}

}  // namespace tai
