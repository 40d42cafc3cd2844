#include "scenario/scenario_recorder.h"

#include "engine/engine_snapshot.h"
#include "payments/payment_json.h"
#include "scenario/scenario_commands.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace tai {

namespace {

double rounded(double value, double unit) {
    return std::round(value / unit) * unit;
}

QString ruleOf(const QString& key) {
    return key.section(QLatin1Char('/'), 0, 0);
}

bool isLost(PaymentOutcome outcome) {
    return outcome == PaymentOutcome::CircuitOpen || outcome == PaymentOutcome::GatewayError ||
           outcome == PaymentOutcome::GatewayTimeout || outcome == PaymentOutcome::QueueFull;
}

QString subjectOf(const QJsonObject& event) {
    if (event.value(QStringLiteral("command")).toString() == u"undo") {
        return event.value(QStringLiteral("service")).toString();
    }
    for (const char* key : {"breaker", "alert", "deployment", "region"}) {
        if (event.contains(QLatin1String(key))) {
            return event.value(QLatin1String(key)).toString();
        }
    }
    return event.value(QStringLiteral("do")).toString();
}

}  // namespace

ScenarioRecorder::ScenarioRecorder(const Scenario& scenario, std::uint64_t seed, TimePoint start,
                                   QString policyVersion)
    : scenario_(scenario), seed_(seed), start_(start), policyVersion_(std::move(policyVersion)) {}

double ScenarioRecorder::secondsAt(TimePoint at) const {
    return static_cast<double>((at - start_).count()) / 1e6;
}

void ScenarioRecorder::addEvent(TimePoint at, QJsonObject event) {
    const double atS = secondsAt(at);
    event.insert(QStringLiteral("at_s"), atS);
    events_.emplace_back(atS, std::move(event));
}

void ScenarioRecorder::hash(const AuditRow& row) {
    QByteArray line = QByteArray::number(row.atMs);
    for (const QString* field : {&row.traceId, &row.kind, &row.subject}) {
        line += '\x1f';
        line += field->toUtf8();
    }
    line += '\x1f';
    line += row.payload;
    line += '\x1f';
    line += row.policyVersion.toUtf8();
    line += '\n';
    digest_.addData(line);
}

QString ScenarioRecorder::auditDigest() const {
    if (!finished_) {
        return {};  // the hash is final only once the run is
    }
    return QStringLiteral("sha256:") + QString::fromLatin1(digest_.resultView().toByteArray().toHex());
}

void ScenarioRecorder::auditRow(const AuditRow& row) {
    // `system` rows say where the trail lives (a path, keys restored): about the host, not the run.
    if (!finished_ && row.kind != u"system") {
        hash(row);
    }
}

void ScenarioRecorder::decision(const PaymentSignal& signal, const PaymentResponse& response, TimePoint at) {
    if (finished_) {
        return;
    }
    hash(AuditRow{toEpochMs(at), response.traceId, QStringLiteral("decision"), response.id,
                  decisionAuditJson(signal, response), policyVersion_});
    ++decisions_;
    ++counts_[static_cast<std::size_t>(response.outcome)];
    switch (response.outcome) {
        case PaymentOutcome::Charged:
            if (signal.idempotencyKey || !signal.id.startsWith(u"gen-")) {
                const QString key = signal.idempotencyKey ? QStringLiteral("key:") + *signal.idempotencyKey
                                                          : QStringLiteral("id:") + signal.id;
                if (++chargedByKey_[key] == 2) {
                    ++doubleCharged_;
                }
            }
            [[fallthrough]];
        case PaymentOutcome::GatewayError:
        case PaymentOutcome::GatewayTimeout:
            latencyUs_.record(
                static_cast<std::uint64_t>(std::max<std::int64_t>(0, response.processing.count())));
            break;
        default:
            break;
    }
}

void ScenarioRecorder::breakerTransition(const BreakerTransition& t) {
    if (finished_) {
        return;
    }
    QJsonObject e{{QStringLiteral("kind"), QStringLiteral("breaker_transition")},
                  {QStringLiteral("breaker"), t.breaker},
                  {QStringLiteral("from"), toString(t.from)},
                  {QStringLiteral("to"), toString(t.to)},
                  {QStringLiteral("reason"), t.reason}};
    if (t.forced) {
        e.insert(QStringLiteral("forced"), true);
    }
    if (t.operatorState == BreakerOperatorState::MetricsOnly ||
        t.operatorState == BreakerOperatorState::Disabled) {
        e.insert(QStringLiteral("operator_state"), toString(t.operatorState));
    }
    if (t.shadow) {
        e.insert(QStringLiteral("shadow"), true);
    }
    addEvent(t.at, e);
    if (t.shadow) {
        return;  // a metrics-only breaker's rules moving: nothing tripped, nothing was blocked
    }
    breakerTrips_ += t.to == BreakerState::Open ? 1 : 0;  // as the breaker card counts: re-opens too
    if (t.breaker == u"payment-gateway") {
        gatewayStates_.emplace_back(secondsAt(t.at), t.to);
    }
}

void ScenarioRecorder::rolloutEvent(const RolloutReportEvent& r) {
    if (finished_) {
        return;
    }
    QJsonObject e{{QStringLiteral("kind"), r.kind},
                  {QStringLiteral("deployment"), r.deployment},
                  {QStringLiteral("region"), r.region}};
    if (r.kind == u"rollout_stage") {
        e.insert(QStringLiteral("stage"), r.stage);
        e.insert(QStringLiteral("weight"), r.weight);
        if (r.stage == u"canary") {
            canaries_.push_back({secondsAt(r.at), r.region, r.deployment});
        }
    } else {
        e.insert(QStringLiteral("reason"), r.reason);
        rollbacks_.push_back({secondsAt(r.at), r.region, r.deployment});
    }
    addEvent(r.at, e);
}

void ScenarioRecorder::alertTransition(const AlertTransition& t, TimePoint at) {
    if (finished_) {
        return;
    }
    const bool firing = t.kind == AlertTransition::Kind::Firing;
    QJsonObject e{{QStringLiteral("kind"), QStringLiteral("alert")},
                  {QStringLiteral("rule"), t.alert.rule},
                  {QStringLiteral("subject"), t.alert.subject},
                  {QStringLiteral("severity"), toString(t.alert.severity)},
                  {QStringLiteral("state"), firing ? QStringLiteral("firing") : QStringLiteral("resolved")}};
    if (t.silenced) {
        e.insert(QStringLiteral("silenced"), true);
    }
    addEvent(at, e);
    if (firing) {
        alertsFiring_.push_back({secondsAt(at), t.alert.rule, t.alert.key});
    }
}

void ScenarioRecorder::command(const EngineCommand& command, const CommandResult& result, TimePoint at) {
    if (finished_) {
        return;
    }
    const double atS = secondsAt(at);
    QJsonObject event = eventFor(command);
    const QString action = event.value(QStringLiteral("do")).toString();
    // The scenario's own events. A trainee's command replayed from a saved session runs from the
    // timeline too, but keeps its actor, and stays the operator's, as it was live.
    const bool scripted =
        applyingTimeline_ && action != u"operator" && originOf(command).actor == u"scenario";
    if (scripted) {
        QJsonObject e = event;
        e.remove(QStringLiteral("do"));
        e.remove(QStringLiteral("actor"));
        e.insert(QStringLiteral("kind"), QStringLiteral("scenario"));
        e.insert(QStringLiteral("do"), action);
        if (!result.ok()) {
            e.insert(QStringLiteral("error"), result.error());
        }
        if (!result.reasons.empty()) {
            QJsonArray reasons;
            for (const QString& reason : result.reasons) {
                reasons.append(reason);
            }
            e.insert(QStringLiteral("reasons"), reasons);
        }
        addEvent(at, e);
    } else {
        QJsonObject e{{QStringLiteral("kind"), QStringLiteral("operator")},
                      {QStringLiteral("command"),
                       action == u"operator" ? event.value(QStringLiteral("command")).toString() : action},
                      {QStringLiteral("subject"), subjectOf(event)},
                      {QStringLiteral("actor"), event.value(QStringLiteral("actor")).toString()}};
        if (!result.ok()) {
            e.insert(QStringLiteral("error"), result.error());
        }
        addEvent(at, e);
    }
    if (!applyingTimeline_) {
        QJsonObject recorded{{QStringLiteral("at_s"), atS}};
        for (auto it = event.begin(); it != event.end(); ++it) {
            recorded.insert(it.key(), it.value());
        }
        recorded_.push_back(recorded);
    }
    if (!result.ok()) {
        return;
    }
    if (!scripted) {
        commands_.push_back(
            {atS, action == u"operator" ? event.value(QStringLiteral("command")).toString() : action, {}});
    }
    if (const auto* alert = std::get_if<ControlAlert>(&command);
        alert && alert->action == ControlAlert::Action::Acknowledge) {
        acks_.push_back({atS, ruleOf(alert->key), alert->key});
    } else if (const auto* breaker = std::get_if<ControlBreaker>(&command);
               breaker && breaker->control == BreakerControl::ForceHalfOpen) {
        forcedHalfOpen_.push_back({atS, breaker->breaker, {}});
    } else if (const auto* fault = std::get_if<SetGatewayFault>(&command)) {
        // Latency alone is the gateway's normal behaviour in the scenarios; failures are a fault.
        const GatewayFault& f = fault->fault;
        if (f.down || f.errorRate > 0 || f.timeoutRate > 0) {
            gatewayFaulted_ = true;
        } else if (gatewayFaulted_) {
            gatewayFaulted_ = false;
            gatewayRecovered_.push_back({atS, QStringLiteral("payment-gateway"), {}});
        }
    } else if (const auto* infra = std::get_if<SetInfraFault>(&command); infra && !infra->clear) {
        infraFaults_.push_back({atS, infra->fault.region, {}});
    }
}

void ScenarioRecorder::submitted(const QByteArray& json, TimePoint at) {
    if (finished_ || applyingTimeline_) {
        return;
    }
    if (auto event = eventForPayment(json)) {
        event->insert(QStringLiteral("at_s"), secondsAt(at));
        recorded_.push_back(*event);
    }
}

QJsonObject ScenarioRecorder::evaluate(const ScenarioObjective& objective) const {
    QJsonObject o{{QStringLiteral("kind"), objective.kind}};
    for (auto it = objective.params.begin(); it != objective.params.end(); ++it) {
        o.insert(it.key(), it.value());
    }
    const QJsonObject& p = objective.params;
    const double within = p.value(QStringLiteral("within_s")).toDouble(-1);
    // The first `done` at or after `from`, judged against within_s.
    const auto judge = [&o, within](std::optional<double> from, const std::vector<Moment>& done, auto matches,
                                    const QString& notYet) {
        if (!from) {
            o.insert(QStringLiteral("met"), false);
            o.insert(QStringLiteral("note"), notYet);
            return;
        }
        const auto hit = std::find_if(done.begin(), done.end(),
                                      [&](const Moment& m) { return m.atS >= *from && matches(m); });
        if (hit == done.end()) {
            o.insert(QStringLiteral("met"), false);
            o.insert(QStringLiteral("note"), QStringLiteral("not done"));
            return;
        }
        const double after = rounded(hit->atS - *from, 0.001);
        o.insert(QStringLiteral("met"), within < 0 || after <= within);
        o.insert(QStringLiteral("after_s"), after);
    };
    if (objective.kind == u"ack_alert") {
        const QString alert = p.value(QStringLiteral("alert")).toString();
        const auto same = [&alert](const Moment& m) {
            return m.what == alert || m.key == alert;
        };
        const auto fired = std::find_if(alertsFiring_.begin(), alertsFiring_.end(), same);
        // An acknowledgement while the alert was still pending counts from its firing (0 s).
        std::vector<Moment> acks = acks_;
        if (fired != alertsFiring_.end()) {
            for (Moment& m : acks) {
                m.atS = std::max(m.atS, fired->atS);
            }
        }
        judge(fired == alertsFiring_.end() ? std::nullopt : std::optional<double>(fired->atS), acks, same,
              QStringLiteral("the alert never fired"));
    } else if (objective.kind == u"force_half_open") {
        const QString breaker =
            p.value(QStringLiteral("breaker")).toString(QStringLiteral("payment-gateway"));
        // Judged from the last recovery: a gateway that flaps recovers more than once.
        judge(
            gatewayRecovered_.empty() ? std::nullopt : std::optional<double>(gatewayRecovered_.back().atS),
            forcedHalfOpen_, [&breaker](const Moment& m) { return m.what == breaker; },
            QStringLiteral("the downstream never recovered"));
    } else if (objective.kind == u"rollback") {
        // The clock starts when the fault meets the new version: the later of the region's
        // first infrastructure fault and its canary.
        const QString region = p.value(QStringLiteral("region")).toString();
        const auto inRegion = [&region](const Moment& m) {
            return region.isEmpty() || m.what == region;
        };
        const auto fault = std::find_if(infraFaults_.begin(), infraFaults_.end(), inRegion);
        const auto canary = std::find_if(canaries_.begin(), canaries_.end(), [&](const Moment& m) {
            return fault != infraFaults_.end() && m.what == fault->what;
        });
        std::optional<double> from;
        if (fault != infraFaults_.end() && canary != canaries_.end()) {
            from = std::max(fault->atS, canary->atS);
        }
        judge(from, rollbacks_, inRegion, QStringLiteral("no faulty canary ran"));
    } else if (objective.kind == u"command") {
        const QString command = p.value(QStringLiteral("command")).toString();
        judge(
            p.value(QStringLiteral("not_before_s")).toDouble(0), commands_,
            [&command](const Moment& m) { return m.what == command; }, QString());
    } else if (objective.kind == u"no_double_charge") {
        o.insert(QStringLiteral("met"), doubleCharged_ == 0);
        o.insert(QStringLiteral("double_charged"), static_cast<qint64>(doubleCharged_));
    } else if (objective.kind == u"max_lost_payments") {
        std::uint64_t lost = 0;
        for (int i = 0; i < kPaymentOutcomeCount; ++i) {
            if (isLost(static_cast<PaymentOutcome>(i))) {
                lost += counts_[static_cast<std::size_t>(i)];
            }
        }
        o.insert(QStringLiteral("met"),
                 lost <= static_cast<std::uint64_t>(p.value(QStringLiteral("max")).toDouble()));
        o.insert(QStringLiteral("lost"), static_cast<qint64>(lost));
    }
    return o;
}

QJsonArray ScenarioRecorder::objectives() const {
    QJsonArray list;
    for (const ScenarioObjective& objective : scenario_.objectives) {
        list.append(evaluate(objective));
    }
    return list;
}

QJsonObject ScenarioRecorder::report(const KpiView& kpis) const {
    QJsonObject counts;
    std::uint64_t charged = 0;
    std::uint64_t lost = 0;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        const auto outcome = static_cast<PaymentOutcome>(i);
        const std::uint64_t n = counts_[static_cast<std::size_t>(i)];
        counts.insert(toString(outcome), static_cast<qint64>(n));
        charged += outcome == PaymentOutcome::Charged ? n : 0;
        lost += isLost(outcome) ? n : 0;
    }
    auto ordered = events_;
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    QJsonArray events;
    for (const auto& [atS, event] : ordered) {
        events.append(event);
    }
    const double p99Ms = latencyUs_.count() == 0 ? 0 : rounded(latencyUs_.percentile(0.99) / 1000.0, 0.001);
    // Payment-gateway outages: from leaving closed to closed again, averaged.
    double downSum = 0;
    int downCount = 0;
    std::optional<double> downSince;
    for (const auto& [atS, to] : gatewayStates_) {
        if (to != BreakerState::Closed && !downSince) {
            downSince = atS;
        } else if (to == BreakerState::Closed && downSince) {
            downSum += atS - *downSince;
            ++downCount;
            downSince.reset();
        }
    }
    const std::uint64_t approved = charged + lost;
    QJsonObject kpi{
        {QStringLiteral("decisions"), static_cast<qint64>(decisions_)},
        {QStringLiteral("success_rate"),
         approved == 0 ? 1.0 : rounded(static_cast<double>(charged) / static_cast<double>(approved), 0.0001)},
        {QStringLiteral("p99_ms"), p99Ms},
        {QStringLiteral("lost_payments"), static_cast<qint64>(lost)},
        {QStringLiteral("breaker_trips"), static_cast<qint64>(breakerTrips_)},
        {QStringLiteral("gateway_recovery_s"),
         downCount == 0 ? QJsonValue() : QJsonValue(rounded(downSum / downCount, 0.001))},
        {QStringLiteral("rollbacks"), static_cast<qint64>(rollbacks_.size())},
        {QStringLiteral("mttr_s"), kpis.mttrS < 0 ? QJsonValue() : QJsonValue(rounded(kpis.mttrS, 0.001))},
    };
    return QJsonObject{{QStringLiteral("scenario"), scenario_.name},
                       {QStringLiteral("seed"), static_cast<qint64>(seed_)},
                       {QStringLiteral("duration_s"), scenario_.durationS},
                       {QStringLiteral("audit_digest"), auditDigest()},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("events"), events},
                       {QStringLiteral("objectives"), objectives()},
                       {QStringLiteral("kpis"), kpi}};
}

}  // namespace tai
