#include "api/snapshot_json.h"

#include "andon/alert_json.h"

#include "base/rfc3339.h"
#include "deployments/rollout_json.h"

namespace tai {

namespace {
QJsonObject rate(const Rate& r) {
    QJsonObject o{{QStringLiteral("samples"), static_cast<qint64>(r.samples)},
                  {QStringLiteral("enough_data"), r.enoughData}};
    o.insert(QStringLiteral("value"), r.enoughData ? QJsonValue(r.value) : QJsonValue());
    return o;
}

// The audit trail's health (issue 14): what /readyz answers from, in full.
QJsonObject storageJson(const StorageView& v) {
    QJsonObject o{{QStringLiteral("durable"), v.durable},
                  {QStringLiteral("ok"), v.ok},
                  {QStringLiteral("pending_rows"), static_cast<qint64>(v.pendingRows)},
                  {QStringLiteral("replies_waiting"), static_cast<qint64>(v.repliesWaiting)},
                  {QStringLiteral("answered_pending"), static_cast<qint64>(v.answeredPending)}};
    if (!v.lastError.isEmpty()) {
        o.insert(QStringLiteral("last_error"), v.lastError);
    }
    if (!v.ok) {
        o.insert(QStringLiteral("failing_since"), formatRfc3339(fromEpochMs(v.failingSinceMs)));
        o.insert(QStringLiteral("failed_attempts"), static_cast<qint64>(v.failedAttempts));
    }
    return o;
}
}  // namespace

QJsonArray alertsJson(const EngineSnapshot& s) {
    const std::int64_t now = toEpochMs(s.at);
    QJsonArray alerts;
    for (const ActiveAlert& a : s.alerts) {
        alerts.append(alertJson(a, now));
    }
    return alerts;
}

QJsonObject alertBoardJson(const EngineSnapshot& s) {
    const std::int64_t now = toEpochMs(s.at);
    QJsonArray history;
    for (const ActiveAlert& a : s.alertHistory) {
        history.append(alertJson(a, now));
    }
    QJsonArray silences;
    for (const AlertSilence& silence : s.silences) {
        silences.append(QJsonObject{{QStringLiteral("key"), silence.key},
                                    {QStringLiteral("until"), formatRfc3339(fromEpochMs(silence.untilMs))},
                                    {QStringLiteral("reason"), silence.reason},
                                    {QStringLiteral("by"), silence.actor}});
    }
    return QJsonObject{{QStringLiteral("light"), toString(s.light)},
                       {QStringLiteral("reason"), s.lightReason},
                       {QStringLiteral("alerts"), alertsJson(s)},
                       {QStringLiteral("history"), history},
                       {QStringLiteral("silences"), silences}};
}

QJsonObject snapshotJson(const EngineSnapshot& s) {
    QJsonArray breakers;
    for (const BreakerView& b : s.breakers) {
        QJsonObject o{{QStringLiteral("name"), b.status.name},
                      {QStringLiteral("system"), b.system},
                      {QStringLiteral("region"), b.region},
                      {QStringLiteral("state"), toString(b.status.state)},
                      {QStringLiteral("forced"), b.status.forced},
                      {QStringLiteral("consecutive_failures"), b.status.consecutiveFailures},
                      {QStringLiteral("failure_threshold"), b.status.failureThreshold},
                      {QStringLiteral("recovery_timeout_s"), toSeconds(b.status.currentRecoveryTimeout)},
                      {QStringLiteral("probes_in_flight"), b.status.probesInFlight},
                      {QStringLiteral("trips"), static_cast<qint64>(b.status.trips)}};
        if (b.status.halfOpenAt) {
            o.insert(QStringLiteral("half_open_in_s"), std::max(0.0, toSeconds(*b.status.halfOpenAt - s.at)));
        }
        breakers.append(o);
    }
    QJsonArray queues;
    for (const QueueView& q : s.queues) {
        queues.append(QJsonObject{{QStringLiteral("name"), q.name},
                                  {QStringLiteral("depth"), static_cast<qint64>(q.counters.depth)},
                                  {QStringLiteral("capacity"), static_cast<qint64>(q.counters.capacity)},
                                  {QStringLiteral("in_progress"), static_cast<qint64>(q.counters.inProgress)},
                                  {QStringLiteral("shed"), static_cast<qint64>(q.counters.shed)}});
    }
    QJsonObject totals;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        totals.insert(toString(static_cast<PaymentOutcome>(i)),
                      static_cast<qint64>(s.kpis.totals[static_cast<std::size_t>(i)]));
    }
    QJsonArray rollouts;
    for (const RolloutView& v : s.rollouts) {
        rollouts.append(rolloutToJson(v));
    }
    return QJsonObject{
        {QStringLiteral("at"), formatRfc3339(s.at)},
        {QStringLiteral("sequence"), static_cast<qint64>(s.sequence)},
        {QStringLiteral("policy_version"), s.policyVersion},
        {QStringLiteral("light"), toString(s.light)},
        {QStringLiteral("light_reason"), s.lightReason},
        {QStringLiteral("alerts"), alertsJson(s)},
        {QStringLiteral("breakers"), breakers},
        {QStringLiteral("queues"), queues},
        {QStringLiteral("gateway_fault"), s.gatewayFault.describe()},
        {QStringLiteral("gateway"), s.gateway},
        {QStringLiteral("kpis"),
         QJsonObject{{QStringLiteral("throughput_per_s"), s.kpis.throughputPerS},
                     {QStringLiteral("success_rate"), rate(s.kpis.successRate)},
                     {QStringLiteral("reject_rate"), rate(s.kpis.rejectRate)},
                     {QStringLiteral("error_rate"), rate(s.kpis.errorRate)},
                     {QStringLiteral("p50_ms"), s.kpis.p50Ms},
                     {QStringLiteral("p99_ms"), s.kpis.p99Ms},
                     {QStringLiteral("received"), static_cast<qint64>(s.kpis.received)},
                     {QStringLiteral("totals"), totals}}},
        {QStringLiteral("rollouts"), rollouts},
        {QStringLiteral("storage"), storageJson(s.storage)},
    };
}

}  // namespace tai
