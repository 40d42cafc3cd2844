#include "engine/deployments_system.h"

#include "audit/audit_store.h"
#include "base/identifiers.h"
#include "deployments/rollout_json.h"
#include "engine/engine_config.h"
#include "engine/event_journal.h"
#include "trace/otlp_exporter.h"
#include "trace/trace_store.h"

#include <QJsonDocument>

#include <algorithm>

namespace tai {

DeploymentsSystem::DeploymentsSystem() = default;

DeploymentsSystem::~DeploymentsSystem() {
    stop();
}

bool DeploymentsSystem::start(SystemContext& context, QString* error) {
    context_ = &context;
    const DeploymentsConfig& config = context.config.policy.deployments;
    infra_ = std::make_unique<InfraSimulator>(context.config.seed, config.regions, context.clock);
    InfraDriver* driver = infra_.get();
    const PrometheusHealthConfig& prometheus = config.healthProvider;
    const ActionWebhookConfig& webhook = config.actionWebhook;
    if (!prometheus.url.isEmpty() || !webhook.url.isEmpty()) {
        if (context.virtualTime) {
            *error =
                (prometheus.url.isEmpty() ? QStringLiteral("deployments.action_webhook.url")
                                          : QStringLiteral("deployments.health_provider.prometheus_url")) +
                QStringLiteral(
                    ": a real system answers in real time; scenarios and replays run on the virtual "
                    "clock with the simulator");
            return false;
        }
        std::unique_ptr<PrometheusHealth> health;
        if (!prometheus.url.isEmpty()) {
            // A query never outlasts the health interval: by then the next sample is due.
            const auto timeout =
                std::min(std::chrono::milliseconds(prometheus.timeoutMs),
                         std::chrono::milliseconds(std::chrono::seconds(config.healthIntervalS)));
            health = std::make_unique<PrometheusHealth>(prometheus, timeout, context.clock);
        }
        std::unique_ptr<WebhookActions> actions;
        if (!webhook.url.isEmpty()) {
            actions = std::make_unique<WebhookActions>(QUrl(webhook.url),
                                                       std::chrono::seconds(webhook.timeoutS), context.clock);
        }
        external_ = std::make_unique<ExternalInfra>(*infra_, std::move(health), std::move(actions));
        driver = external_.get();
    }
    DeploymentListener listener;
    listener.report = [this](const RolloutReportEvent& e) {
        report(e);
    };
    listener.alert = [this](Severity severity, const QString& rule, const QString& subject,
                            const QString& message, const QString& region) {
        ActiveAlert alert;
        alert.rule = rule;
        alert.severity = severity;
        alert.subject = subject;
        alert.message = message;
        alert.value = 1;
        alert.region = region;
        alert.system = name();
        // The control that answers it: a marginal canary is a human's call to roll back; a failed
        // deployment can be retried once its cause is fixed. A triggered rollback has already done
        // what a control would.
        alert.control = rule == u"health_marginal"     ? QStringLiteral("rollback")
                        : rule == u"deployment_failed" ? QStringLiteral("retry")
                                                       : QString();
        context_->raiseAlert(std::move(alert));
    };
    listener.timeline = [this](const QString& subject, const QString& text) {
        context_->journal.note(QStringLiteral("deployment"), subject, text);
    };
    listener.breakerTransition = [this](const BreakerTransition& t) {
        context_->journal.publish(EngineEvent{t.at, t});
    };
    listener.changed = [this] {
        context_->requestSnapshot();
    };
    listener.action = [this](const DeploymentActionRecord& action) {
        traceAction(action);
    };
    orchestrator_ = std::make_unique<DeploymentOrchestrator>(config, context.clock, *driver, listener);
    return true;
}

void DeploymentsSystem::stop() {
    orchestrator_.reset();  // its rollouts cancel what they still wait for
    external_.reset();
    infra_.reset();
}

void DeploymentsSystem::report(const RolloutReportEvent& e) {
    lastEvent_[e.deployment] = e.at;
    if (e.kind == u"rollback") {
        ++rollbacks_;
    }
    context_->journal.publish(EngineEvent{e.at, e});
    // After the orchestrator has finished the change this event is part of.
    context_->post([this, id = e.deployment] { persist(id); });
}

void DeploymentsSystem::persist(const QString& deployment) {
    if (context_->audit == nullptr || !orchestrator_) {
        return;
    }
    if (const auto view = orchestrator_->view(deployment)) {
        context_->audit->putRollout(view->id, toString(view->status),
                                    QJsonDocument(rolloutToJson(*view)).toJson(QJsonDocument::Compact));
    }
}

int DeploymentsSystem::restoreRollouts() {
    if (context_->audit == nullptr) {
        return 0;
    }
    // Every rollout in flight comes back (interrupted); of the finished ones, the newest, so that
    // GET /v1/deployments/{id}, rollback and retry still find them, with memory bounded.
    constexpr std::size_t kFinishedKept = 500;
    const auto saved = context_->audit->loadRollouts();  // oldest first
    std::size_t finished = 0;
    for (const auto& [status, json] : saved) {
        finished += status != u"in_progress" && status != u"paused" && status != u"interrupted" ? 1 : 0;
    }
    int interrupted = 0;
    for (const auto& [status, json] : saved) {
        const auto view = rolloutFromJson(QJsonDocument::fromJson(json).object());
        if (!view) {
            continue;
        }
        const bool inFlight = status == u"in_progress" || status == u"paused" || status == u"interrupted";
        if (!inFlight && finished-- > kFinishedKept) {
            orchestrator_->reserveId(view->id);
            continue;
        }
        orchestrator_->restore(*view);
        if (inFlight) {
            persist(view->id);
            ++interrupted;
        }
    }
    return interrupted;
}

void DeploymentsSystem::traceAction(const DeploymentActionRecord& action) {
    const auto view = orchestrator_->view(action.deployment);
    auto& current = traces_[action.deployment];
    DeploymentTrace::Facts facts;
    if (current) {
        facts = current->facts();
    } else {
        facts.deployment = action.deployment;
        facts.service = action.service;
        facts.version = action.version;
        facts.requestedBy = view ? view->requestedBy : QString();
    }
    facts.status = view ? toString(view->status) : QString();
    facts.actions.push_back(action);
    constexpr std::size_t kActionsPerTrace = 200;  // a long retry loop stays bounded
    if (facts.actions.size() > kActionsPerTrace) {
        facts.actions.erase(facts.actions.begin());
    }
    const QString traceId =
        current ? current->traceId()
                : makeTraceId(context_->config.seed, QStringLiteral("deployment:%1:%2")
                                                         .arg(action.deployment)
                                                         .arg(view ? toEpochMs(view->createdAt) : 0));
    const TimePoint start = view ? view->createdAt : action.started;
    current = std::make_shared<const DeploymentTrace>(traceId, start, action.finished, facts);
    context_->traces.add(current);
    if (context_->otlp != nullptr) {
        // Each action goes out once, as it finishes; the root span goes with the last one.
        DeploymentTrace::Facts batch = facts;
        batch.actions = {action};
        const bool finished = view && view->status != RolloutStatus::InProgress &&
                              view->status != RolloutStatus::Paused &&
                              view->status != RolloutStatus::Interrupted;
        batch.includeRoot = finished;
        context_->otlp->add(std::make_shared<const DeploymentTrace>(traceId, start, action.finished, batch));
    }
}

std::optional<CommandResult> DeploymentsSystem::apply(const EngineCommand& command) {
    if (const auto* request = std::get_if<RequestDeployment>(&command)) {
        return requestDeployment(*request);
    }
    if (const auto* control = std::get_if<ControlRollout>(&command)) {
        return controlRollout(*control);
    }
    if (const auto* undo = std::get_if<UndoDeployment>(&command)) {
        return undoDeployment(*undo);
    }
    if (const auto* fault = std::get_if<SetInfraFault>(&command)) {
        return setInfraFault(*fault);
    }
    return std::nullopt;
}

CommandResult DeploymentsSystem::requestDeployment(const RequestDeployment& command) {
    const ParsedDeployment parsed =
        parseDeploymentSignal(command.body, context_->config.policy.deployments.regions);
    if (const auto* invalid = std::get_if<DeploymentError>(&parsed)) {
        return CommandResult::refused(tai::invalid(invalid->field, invalid->message));
    }
    DeploymentSignal signal = std::get<DeploymentSignal>(parsed);
    if (signal.requestedBy.isEmpty()) {
        signal.requestedBy = command.origin.actor;
    }
    const DeploymentDecision decision = orchestrator_->request(signal);
    if (decision.error) {
        return CommandResult::refused(*decision.error);
    }
    return recordDecision(decision);
}

CommandResult DeploymentsSystem::recordDecision(const DeploymentDecision& decision) {
    const DeploymentSignal& signal = decision.signal;
    persist(decision.id);
    context_->requestSnapshot();
    CommandResult result = CommandResult::applied(decision.id);
    if (!decision.accepted) {
        QStringList reasons(decision.reasons.begin(), decision.reasons.end());
        // No field in the refusal itself: its text is the reasons, as the console shows them.
        // The HTTP answer names the field of the first failing check (api_router.cpp).
        result.refusal = Refusal{RefusalCode::Rejected, QString(),
                                 QStringLiteral("deployment rejected by the safety policy: ") +
                                     reasons.join(QStringLiteral(", "))};
        result.reasons = decision.reasons;
        // Its id is in the answer and on the trail, so it answers too: as rejected.
        constexpr std::size_t kRejectedKept = 200;
        rejected_.push_back(RejectedDeployment{decision.id, signal.service, signal.version,
                                               signal.requestedBy, context_->clock.now(), reasons});
        while (rejected_.size() > kRejectedKept) {
            rejected_.pop_front();
        }
    }
    // The orchestrator's "accepted"/"rejected" timeline entry is this command's audit row.
    result.auditedBySystem = true;
    return result;
}

CommandResult DeploymentsSystem::controlRollout(const ControlRollout& command) {
    const QString why =
        command.origin.actor +
        (command.origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + command.origin.reason);
    const std::optional<Refusal> refused =
        orchestrator_->control(command.deployment, command.control, command.region, why);
    if (refused) {
        return CommandResult::refused(*refused);
    }
    persist(command.deployment);
    return CommandResult::applied();
}

CommandResult DeploymentsSystem::undoDeployment(const UndoDeployment& command) {
    const QString why =
        command.origin.actor +
        (command.origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + command.origin.reason);
    const DeploymentDecision decision =
        orchestrator_->undo(command.service, command.toRevision, command.origin.actor, why);
    if (decision.error) {
        return CommandResult::refused(*decision.error);  // the journal audits it as refused
    }
    return recordDecision(decision);
}

CommandResult DeploymentsSystem::setInfraFault(const SetInfraFault& command) {
    const InfraFault& f = command.fault;
    if (!f.region.isEmpty() && !context_->config.policy.deployments.regions.contains(f.region)) {
        return CommandResult::refused(notFound(
            QStringLiteral("region"),
            QStringLiteral("unknown region '%1' (the policy's regions: %2)")
                .arg(f.region, context_->config.policy.deployments.regions.join(QStringLiteral(", ")))));
    }
    if (command.clear) {
        infra_->clearFaults(f.region);
    } else {
        InfraFault fault = f;
        if (command.forSeconds) {
            fault.until = context_->clock.now() + std::chrono::seconds(*command.forSeconds);
        }
        infra_->addFault(fault);
    }
    return CommandResult::applied();
}

std::vector<OwnedBreaker> DeploymentsSystem::breakers() {
    std::vector<OwnedBreaker> out;
    for (const QString& region : context_->config.policy.deployments.regions) {
        out.push_back({orchestrator_->breaker(QStringLiteral("deploy:") + region), region});
    }
    out.push_back({orchestrator_->breaker(QStringLiteral("deploy:global")), {}});
    return out;
}

void DeploymentsSystem::contribute(EngineSnapshot& snapshot) const {
    const TimePoint now = context_->clock.now();
    snapshot.rollouts = orchestrator_->views();
    snapshot.rejectedDeployments.assign(rejected_.begin(), rejected_.end());
    snapshot.infraFaults = infra_->activeFaults(now);
    KpiView& kpis = snapshot.kpis;
    kpis.rollbacks = rollbacks_;
    double mttrSum = 0;
    int mttrCount = 0;
    TimePoint newestCompletion;
    for (const RolloutView& r : snapshot.rollouts) {
        if (r.mttrS >= 0) {
            mttrSum += r.mttrS;
            ++mttrCount;
        }
        if (r.status == RolloutStatus::Completed) {
            ++kpis.deploymentsCompleted;
            if (const auto last = lastEvent_.find(r.id);
                last != lastEvent_.end() && last->second >= newestCompletion) {
                newestCompletion = last->second;
                kpis.lastDeploymentS = toSeconds(last->second - r.createdAt);
            }
        }
    }
    kpis.mttrS = mttrCount > 0 ? mttrSum / mttrCount : -1;
}

}  // namespace tai
