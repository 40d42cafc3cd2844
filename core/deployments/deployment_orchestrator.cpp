#include "deployments/deployment_orchestrator.h"

#include "deployments/rollout_controls.h"
#include "deployments/rollout_run.h"

namespace tai {

using namespace std::chrono_literals;

DeploymentOrchestrator::DeploymentOrchestrator(const DeploymentsConfig& config, Clock& clock,
                                               InfraDriver& infra, DeploymentListener listener)
    : config_(config), clock_(clock), infra_(infra), listener_(std::move(listener)) {
    context_ =
        std::make_unique<RolloutContext>(RolloutContext{config_, clock_, infra_, listener_, breakers_});
    const auto add = [this](const QString& name) {
        auto breaker = std::make_unique<CircuitBreaker>(name, config_.breaker, clock_);
        breaker->setTransitionListener([this](const BreakerTransition& t) {
            if (listener_.breakerTransition) {
                listener_.breakerTransition(t);
            }
        });
        breakers_.emplace(name, std::move(breaker));
    };
    add(QStringLiteral("deploy:global"));
    for (const QString& region : config_.regions) {
        add(QStringLiteral("deploy:") + region);
    }
}

DeploymentOrchestrator::~DeploymentOrchestrator() {
    rollouts_.clear();  // each cancels its own timers, before the breakers go
}

CircuitBreaker* DeploymentOrchestrator::breaker(const QString& name) {
    const auto found = breakers_.find(name);
    return found == breakers_.end() ? nullptr : found->second.get();
}

std::vector<BreakerStatus> DeploymentOrchestrator::breakerStatuses() const {
    std::vector<BreakerStatus> out;
    for (const QString& region : config_.regions) {
        out.push_back(breakers_.at(QStringLiteral("deploy:") + region)->status());
    }
    out.push_back(breakers_.at(QStringLiteral("deploy:global"))->status());
    return out;
}

RolloutRun* DeploymentOrchestrator::find(const QString& id) {
    for (auto& r : rollouts_) {
        if (r->id() == id) {
            return r.get();
        }
    }
    return nullptr;
}

bool DeploymentOrchestrator::activeFor(const QString& service) const {
    return std::any_of(rollouts_.begin(), rollouts_.end(),
                       [&service](const auto& r) { return r->service() == service && r->active(); });
}

DeploymentDecision DeploymentOrchestrator::request(DeploymentSignal signal) {
    DeploymentDecision decision;
    if (signal.regions.isEmpty()) {
        signal.regions = config_.regions;
    }
    if (signal.id.isEmpty()) {
        signal.id = QStringLiteral("d-%1").arg(nextId_++);
    } else if (find(signal.id) != nullptr) {
        decision.error =
            conflict(QStringLiteral("deployment '%1' already exists").arg(signal.id), QStringLiteral("id"));
        return decision;
    }
    const DeploymentSubject subject{&signal,     signal.regions, &infra_, &config_, activeFor(signal.service),
                                    clock_.now()};
    const PolicyDecision verdict = safety_.evaluate(subject);
    decision.id = signal.id;
    decision.signal = signal;
    if (verdict.rejected) {
        decision.reasons = safety_.reasonsOf(verdict);
        QStringList reasons(decision.reasons.begin(), decision.reasons.end());
        if (listener_.timeline) {
            listener_.timeline(signal.id,
                               QStringLiteral("deployment of %1 %2 rejected: %3")
                                   .arg(signal.service, signal.version, reasons.join(QStringLiteral(", "))));
        }
        return decision;
    }
    decision.accepted = true;
    RolloutRun& run = *rollouts_.emplace_back(std::make_unique<RolloutRun>(*context_, signal));
    if (listener_.timeline) {
        listener_.timeline(
            signal.id,
            QStringLiteral("deployment of %1 %2 accepted for %3 (requested by %4)")
                .arg(signal.service, signal.version, signal.regions.join(QStringLiteral(" → ")),
                     signal.requestedBy.isEmpty() ? QStringLiteral("unknown") : signal.requestedBy));
    }
    run.start();
    return decision;
}

DeploymentDecision DeploymentOrchestrator::undo(const QString& service, int toRevision,
                                                const QString& requestedBy, const QString& why) {
    const auto target = undoTarget(revisions(service), service, toRevision);
    if (const auto* refused = std::get_if<Refusal>(&target)) {
        DeploymentDecision decision;
        decision.error = *refused;
        return decision;
    }
    const RevisionView& to = std::get<RevisionView>(target);
    if (listener_.timeline) {
        listener_.timeline(service, QStringLiteral("undo of %1 to revision %2 (%3, %4) by %5")
                                        .arg(service)
                                        .arg(to.revision)
                                        .arg(to.version, to.deployment, why));
    }
    return request(DeploymentSignal{{}, service, to.version, {}, requestedBy, false});
}

std::vector<RevisionView> DeploymentOrchestrator::revisions(const QString& service) const {
    return revisionHistory(views(), service);
}

std::optional<Refusal> DeploymentOrchestrator::control(const QString& id, RolloutControl control,
                                                       const QString& region, const QString& why) {
    RolloutRun* run = find(id);
    if (run == nullptr) {
        return notFound(QStringLiteral("deployment"), QStringLiteral("unknown deployment '%1'").arg(id));
    }
    return RolloutControls(*run).apply(control, region, why, [this, run](const QString& service) {
        return std::any_of(rollouts_.begin(), rollouts_.end(), [&](const auto& r) {
            return r.get() != run && r->service() == service && r->active();
        });
    });
}

void DeploymentOrchestrator::restore(const RolloutView& view) {
    if (find(view.id) != nullptr) {
        return;  // saved once per id; never two runs under one id
    }
    rollouts_.push_back(RolloutRun::restored(*context_, view));
    reserveId(view.id);
}

void DeploymentOrchestrator::reserveId(const QString& id) {
    bool numbered = false;
    const int number = id.startsWith(QStringLiteral("d-")) ? id.mid(2).toInt(&numbered) : 0;
    if (numbered) {
        nextId_ = std::max(nextId_, number + 1);
    }
}

std::vector<RolloutView> DeploymentOrchestrator::views() const {
    std::vector<RolloutView> out;
    for (const auto& r : rollouts_) {
        out.push_back(r->view());
    }
    return out;
}

std::optional<RolloutView> DeploymentOrchestrator::view(const QString& deployment) const {
    for (const auto& r : rollouts_) {
        if (r->id() == deployment) {
            return r->view();
        }
    }
    return std::nullopt;
}

}  // namespace tai
