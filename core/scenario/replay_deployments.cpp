#include "scenario/replay_deployments.h"

#include "base/json_text.h"

#include <QJsonArray>

namespace tai {

ReplayDeployments::ReplayDeployments(const DeploymentsConfig& config, std::uint64_t seed, Clock& clock)
    : config_(config), infra_(seed, config_.regions, clock) {
    DeploymentListener listener;
    listener.report = [this](const RolloutReportEvent& e) {
        rollbacks_ += e.kind == u"rollback" ? 1 : 0;
        events_.push_back(QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                              .arg(toEpochMs(e.at))
                              .arg(e.kind, e.deployment, e.region, e.kind == u"rollback" ? e.reason : e.stage)
                              .arg(e.weight)
                              .toUtf8());
    };
    orchestrator_ = std::make_unique<DeploymentOrchestrator>(config_, clock, infra_, std::move(listener));
}

ReplayDeployments::~ReplayDeployments() {
    orchestrator_.reset();  // its rollouts cancel their timers before the simulator goes
}

ReplayDeployments::Taken ReplayDeployments::take(int line, QJsonObject object) {
    object.remove(QStringLiteral("type"));
    object.remove(QStringLiteral("timestamp"));  // the runner moved the clock to it
    const ParsedDeployment parsed = parseDeploymentSignal(object, config_.regions);
    if (const auto* error = std::get_if<DeploymentError>(&parsed)) {
        return {std::nullopt, error->field, error->text()};
    }
    const DeploymentDecision decision = orchestrator_->request(std::get<DeploymentSignal>(parsed));
    if (decision.error) {
        return {std::nullopt, decision.error->field, decision.error->text()};
    }
    decisions_.push_back(Decision{line, decision.id, decision.accepted,
                                  QStringList(decision.reasons.begin(), decision.reasons.end())});
    return {decisions_.size() - 1, {}, {}};
}

bool ReplayDeployments::running() const {
    const std::vector<RolloutView> views = orchestrator_->views();
    return std::any_of(views.begin(), views.end(), [](const RolloutView& v) {
        return v.status == RolloutStatus::InProgress &&
               std::none_of(v.regions.begin(), v.regions.end(),
                            [](const RegionView& r) { return r.awaitingPromote; });
    });
}

QByteArray ReplayDeployments::decisionLine(std::size_t index) const {
    const Decision& d = decisions_.at(index);
    QByteArray out = "{\"line\":" + QByteArray::number(d.line) + ",\"type\":\"deployment\",\"id\":";
    appendJsonString(out, d.id);
    out += ",\"outcome\":";
    appendJsonString(out, d.accepted ? QStringLiteral("accepted") : QStringLiteral("rejected"));
    out += ",\"reasons\":[";
    for (qsizetype i = 0; i < d.reasons.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        appendJsonString(out, d.reasons.at(i));
    }
    out += ']';
    if (const auto view = d.accepted ? orchestrator_->view(d.id) : std::nullopt) {
        int rolledBack = 0;
        for (const RegionView& region : view->regions) {
            rolledBack += region.stage == u"rolled_back" ? 1 : 0;
        }
        out += ",\"status\":";
        appendJsonString(out, toString(view->status));
        out += ",\"rolled_back_regions\":" + QByteArray::number(rolledBack);
    }
    out += '}';
    return out;
}

}  // namespace tai
