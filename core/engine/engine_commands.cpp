#include "engine/engine_core.h"

#include "deployments/deployment_orchestrator.h"

namespace tai {

namespace {
QString withReason(const CommandOrigin& origin) {
    return origin.reason.isEmpty() ? QString() : QStringLiteral(" (") + origin.reason + QLatin1Char(')');
}
}  // namespace

CommandResult EngineCore::apply(const SetGatewayFault& command) {
    const GatewayFault& f = command.fault;
    if (f.errorRate < 0 || f.errorRate > 1) {
        return CommandResult::refused(QStringLiteral("error_rate: must be from 0 to 1"));
    }
    if (f.timeoutRate < 0 || f.timeoutRate > 1) {
        return CommandResult::refused(QStringLiteral("timeout_rate: must be from 0 to 1"));
    }
    if (f.latencyMs < 0 || f.jitterMs < 0 || f.latencyMs > 600'000 || f.jitterMs > 600'000) {
        return CommandResult::refused(QStringLiteral("latency_ms: must be from 0 to 600000 (jitter_ms too)"));
    }
    gateway_.setFault(f);
    recordOperator(command.origin, QStringLiteral("set_gateway_fault"), QStringLiteral("payment-gateway"),
                   command.origin.actor + QStringLiteral(" set gateway fault: ") + f.describe() +
                       (command.origin.reason.isEmpty()
                            ? QString()
                            : QStringLiteral(" (") + command.origin.reason + QLatin1Char(')')));
    requestExtraSnapshot();
    return {};
}

CommandResult EngineCore::apply(const ControlBreaker& command) {
    CircuitBreaker* found = command.breaker == pipeline_->breaker().name()
                                ? &pipeline_->breaker()
                                : deployments_->breaker(command.breaker);
    if (found == nullptr) {
        return CommandResult::refused(QStringLiteral("breaker: unknown breaker '") + command.breaker +
                                      QLatin1Char('\''));
    }
    CircuitBreaker& breaker = *found;
    const QString reason =
        toString(command.control) + QStringLiteral(" by ") + command.origin.actor +
        (command.origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + command.origin.reason);
    recordOperator(command.origin, toString(command.control), command.breaker, reason);
    switch (command.control) {
        case BreakerControl::ForceOpen:
            breaker.forceOpen(reason);
            break;
        case BreakerControl::ForceHalfOpen:
            breaker.forceHalfOpen(reason);
            break;
        case BreakerControl::ForceClosed:
            breaker.forceClosed(reason);
            break;
        case BreakerControl::Release:
            breaker.release(reason);
            break;
    }
    requestExtraSnapshot();
    return {};
}

CommandResult EngineCore::apply(const SetLoad& command) {
    if (command.paymentsPerSecond < 0 || command.paymentsPerSecond > 10'000'000) {
        return CommandResult::refused(QStringLiteral("payments_per_s: must be from 0 to 10000000"));
    }
    if (command.fraudsterShare < 0 || command.fraudsterShare > 1) {
        return CommandResult::refused(QStringLiteral("fraudster_share: must be from 0 to 1"));
    }
    if (command.customers < 1) {
        return CommandResult::refused(QStringLiteral("customers: must be at least 1"));
    }
    config_.load = LoadProfile{command.paymentsPerSecond, command.fraudsterShare, command.customers};
    load_.setProfile(config_.load, clock_->now());
    recordOperator(
        command.origin, QStringLiteral("set_load"), QStringLiteral("load"),
        command.origin.actor + QStringLiteral(" set generated load to %1/s").arg(command.paymentsPerSecond));
    scheduleLoad();
    requestExtraSnapshot();
    return {};
}

bool EngineCore::burstActive() const {
    return burst_.profile().paymentsPerSecond > 0 && clock_->now() < burstUntil_;
}

CommandResult EngineCore::apply(const StartBurst& command) {
    if (command.paymentsPerSecond < 1 || command.paymentsPerSecond > 10'000'000) {
        return CommandResult::refused(QStringLiteral("payments_per_s: must be from 1 to 10000000"));
    }
    if (command.seconds < 1 || command.seconds > 3600) {
        return CommandResult::refused(QStringLiteral("seconds: must be from 1 to 3600"));
    }
    if (command.fraudsterShare < 0 || command.fraudsterShare > 1) {
        return CommandResult::refused(QStringLiteral("fraudster_share: must be from 0 to 1"));
    }
    if (command.customers < 1) {
        return CommandResult::refused(QStringLiteral("customers: must be at least 1"));
    }
    burst_.setProfile(LoadProfile{command.paymentsPerSecond, command.fraudsterShare, command.customers},
                      clock_->now());
    burstUntil_ = clock_->now() + std::chrono::seconds(command.seconds);
    recordOperator(command.origin, QStringLiteral("start_burst"), QStringLiteral("load"),
                   command.origin.actor + QStringLiteral(" started a burst of %1/s for %2 s (fraudsters %3%)")
                                              .arg(command.paymentsPerSecond)
                                              .arg(command.seconds)
                                              .arg(command.fraudsterShare * 100, 0, 'g', 3));
    scheduleLoad();
    requestExtraSnapshot();
    return {};
}

CommandResult EngineCore::apply(const RequestDeployment& command) {
    const ParsedDeployment parsed = parseDeploymentSignal(command.body, config_.policy.deployments.regions);
    if (const auto* error = std::get_if<DeploymentError>(&parsed)) {
        return {false, error->text(), {}, {}};
    }
    DeploymentSignal signal = std::get<DeploymentSignal>(parsed);
    if (signal.requestedBy.isEmpty()) {
        signal.requestedBy = command.origin.actor;
    }
    const DeploymentDecision decision = deployments_->request(signal);
    if (decision.accepted) {
        persistRollout(decision.id);
    }
    if (!decision.error.isEmpty()) {
        return {false, decision.error, {}, {}};
    }
    requestExtraSnapshot();
    if (!decision.accepted) {
        return {false, QStringLiteral("deployment rejected by the safety policy"), decision.id,
                decision.reasons};
    }
    return {true, {}, decision.id, {}};
}

CommandResult EngineCore::apply(const ControlRollout& command) {
    recordOperator(command.origin, toString(command.control), command.deployment,
                   command.origin.actor + QStringLiteral(" ") + toString(command.control) +
                       (command.region.isEmpty() ? QString() : QStringLiteral(" ") + command.region) +
                       withReason(command.origin));
    const QString error = deployments_->control(
        command.deployment, command.control, command.region,
        command.origin.actor +
            (command.origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + command.origin.reason));
    persistRollout(command.deployment);
    requestExtraSnapshot();
    return {error.isEmpty(), error, {}, {}};
}

CommandResult EngineCore::apply(const SetInfraFault& command) {
    const InfraFault& f = command.fault;
    if (!command.clear && !config_.policy.deployments.regions.contains(f.region)) {
        return {false, QStringLiteral("region: unknown region '%1'").arg(f.region), {}, {}};
    }
    if ((f.errorRate && (*f.errorRate < 0 || *f.errorRate > 1)) ||
        (f.actionFailureRate && (*f.actionFailureRate < 0 || *f.actionFailureRate > 1))) {
        return {
            false, QStringLiteral("error_rate: rates must be from 0 to 1 (action_failure_rate too)"), {}, {}};
    }
    if ((f.p99Ms && *f.p99Ms < 0) || (f.capacity && *f.capacity < 0) ||
        (command.forSeconds && *command.forSeconds <= 0)) {
        return {false, QStringLiteral("p99_ms: p99_ms, capacity and for_s must not be negative"), {}, {}};
    }
    if (command.clear) {
        infra_->clearFaults(f.region);
        recordOperator(command.origin, QStringLiteral("clear_infra_fault"),
                       f.region.isEmpty() ? QStringLiteral("infrastructure") : f.region,
                       command.origin.actor + QStringLiteral(" cleared infrastructure faults") +
                           withReason(command.origin));
    } else {
        InfraFault fault = f;
        if (command.forSeconds) {
            fault.until = clock_->now() + std::chrono::seconds(*command.forSeconds);
        }
        infra_->addFault(fault);
        QStringList parts;
        if (f.errorRate)
            parts << QStringLiteral("error rate %1%").arg(*f.errorRate * 100);
        if (f.p99Ms)
            parts << QStringLiteral("p99 %1 ms").arg(*f.p99Ms);
        if (f.actionFailureRate)
            parts << QStringLiteral("action failures %1%").arg(*f.actionFailureRate * 100);
        if (f.capacity)
            parts << QStringLiteral("capacity %1").arg(*f.capacity);
        recordOperator(
            command.origin, QStringLiteral("set_infra_fault"), f.region,
            command.origin.actor + QStringLiteral(" set infrastructure fault") +
                (f.version.isEmpty() ? QString() : QStringLiteral(" on ") + f.version) +
                QStringLiteral(": ") + parts.join(QStringLiteral(", ")) +
                (command.forSeconds ? QStringLiteral(" for %1 s").arg(*command.forSeconds) : QString()) +
                withReason(command.origin));
    }
    requestExtraSnapshot();
    return {};
}

CommandResult EngineCore::apply(const ControlAlert& command) {
    const TimePoint now = clock_->now();
    const bool ack = command.action == ControlAlert::Action::Acknowledge;
    const auto refused =
        ack ? andon_.acknowledge(command.key, command.origin.actor, command.origin.reason, now)
            : andon_.silence(command.key, std::chrono::seconds(command.durationS), command.origin.actor,
                             command.origin.reason, now);
    if (refused) {
        return CommandResult::refused(*refused);
    }
    const QString what = ack ? QStringLiteral("acknowledged")
                         : command.durationS == 0
                             ? QStringLiteral("silence lifted")
                             : QStringLiteral("silenced for %1 s").arg(command.durationS);
    recordOperator(
        command.origin, ack ? QStringLiteral("acknowledge_alert") : QStringLiteral("silence_alert"),
        command.key,
        command.key + QLatin1Char(' ') + what + QStringLiteral(" by ") + command.origin.actor +
            (command.origin.reason.isEmpty() ? QString() : QStringLiteral(": ") + command.origin.reason));
    requestExtraSnapshot();
    return {};
}

}  // namespace tai
