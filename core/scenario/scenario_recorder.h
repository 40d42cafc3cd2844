#pragma once

#include "engine/engine_observer.h"
#include "kaizen/latency_histogram.h"
#include "scenario/scenario_file.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <unordered_map>
#include <vector>

namespace tai {

struct KpiView;

// Watches a scenario run on the engine thread and turns it into the report of DESIGN.md §9.5:
// outcome counts, the time-ordered event list, objectives and KPIs, and the audit digest (SHA-256
// over every audit row in the order the engine wrote them). It also keeps the operator's own
// commands, with their virtual times, so "Save session" can write them back as events.
//
// Everything here runs on the engine thread; read it there too (Engine::invoke).
class ScenarioRecorder final : public EngineObserver {
public:
    ScenarioRecorder(const Scenario& scenario, std::uint64_t seed, TimePoint start, QString policyVersion);

    // Commands applied while this is set come from the scenario's own timeline, not the trainee.
    void setApplyingTimeline(bool applying) { applyingTimeline_ = applying; }
    // After the end nothing more is recorded: the report and the session stay as they were.
    void finish() { finished_ = true; }

    // "sha256:<hex>", once finish() was called (empty before).
    QString auditDigest() const;
    // The §9.5 report; `kpis` is the engine's last snapshot at the end of the run.
    QJsonObject report(const KpiView& kpis) const;
    // Evaluated objectives, as in the report (for the debrief while a run is still going too).
    QJsonArray objectives() const;
    // The trainee's commands as §9.4 events (at_s from the start, to the microsecond).
    const std::vector<QJsonObject>& recordedEvents() const { return recorded_; }
    std::uint64_t decisions() const { return decisions_; }

    void auditRow(const AuditRow& row) override;
    void decision(const PaymentSignal& signal, const PaymentResponse& response, TimePoint at) override;
    void breakerTransition(const BreakerTransition& transition) override;
    void rolloutEvent(const RolloutReportEvent& event) override;
    void alertTransition(const AlertTransition& transition, TimePoint at) override;
    void command(const EngineCommand& command, const CommandResult& result, TimePoint at) override;
    void submitted(const QByteArray& json, TimePoint at) override;

private:
    double secondsAt(TimePoint at) const;
    void addEvent(TimePoint at, QJsonObject event);
    void hash(const AuditRow& row);
    QJsonObject evaluate(const ScenarioObjective& objective) const;

    struct Moment {
        double atS = 0;
        QString what;  // alert rule, breaker, region: what the moment is about
        QString key;   // alert key; deployment
    };

    const Scenario& scenario_;
    std::uint64_t seed_;
    TimePoint start_;
    QString policyVersion_;
    bool applyingTimeline_ = false;
    bool finished_ = false;

    QCryptographicHash digest_{QCryptographicHash::Sha256};
    std::array<std::uint64_t, kPaymentOutcomeCount> counts_{};
    std::uint64_t decisions_ = 0;
    LatencyHistogram latencyUs_;  // processing of payments that reached the gateway (bounded memory)
    // Times charged, per idempotency key, or per id for payments that are not generated traffic
    // (generated ids are unique by construction; tracking them would grow without bound).
    std::unordered_map<QString, int> chargedByKey_;
    std::uint64_t doubleCharged_ = 0;  // keys charged more than once
    std::vector<std::pair<double, QJsonObject>> events_;
    std::vector<QJsonObject> recorded_;

    std::vector<Moment> alertsFiring_;      // what: rule, key: alert key
    std::vector<Moment> acks_;              // what: rule, key: alert key
    std::vector<Moment> forcedHalfOpen_;    // what: breaker
    std::vector<Moment> gatewayRecovered_;  // gateway fault cleared
    std::vector<Moment> infraFaults_;       // what: region
    std::vector<Moment> rollbacks_;         // what: region, key: deployment
    std::vector<Moment> commands_;          // what: command name (operator and scripted)
    std::vector<Moment> canaries_;          // what: region, key: deployment
    std::vector<std::pair<double, BreakerState>> gatewayStates_;  // payment-gateway transitions
    std::uint64_t breakerTrips_ = 0;                              // closed → open, any breaker
    bool gatewayFaulted_ = false;
};

}  // namespace tai
