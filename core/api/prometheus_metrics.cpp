#include "api/prometheus_metrics.h"

#include "andon/alert_notifiers.h"
#include "api/process_metrics.h"

#include <QtGlobal>

namespace tai {

namespace {
QByteArray number(double v) {
    return QByteArray::number(v, 'g', 12);
}

QByteArray label(const QString& value) {
    QByteArray escaped = value.toUtf8();
    escaped.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return escaped;
}

void family(QByteArray& out, const char* name, const char* type, const char* help) {
    out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

QByteArray systemOf(const QString& breaker) {
    return breaker.startsWith(QStringLiteral("deploy:")) ? "deployments" : "payments";
}
}  // namespace

QByteArray prometheusText(const EngineSnapshot& s) {
    QByteArray out;
    out.reserve(16384);
    family(out, "tai_build_info", "gauge", "Always 1; the labels say which build is running.");
    out += "tai_build_info{version=\"" TAI_VERSION "\",build_type=\"" +
           label(QStringLiteral(TAI_BUILD_TYPE)) + "\",qt_version=\"" +
           label(QString::fromLatin1(qVersion())) + "\"} 1\n";
    family(out, "tai_payments_total", "counter", "Payment signals decided, by outcome.");
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        out += "tai_payments_total{system=\"payments\",outcome=\"" +
               label(toString(static_cast<PaymentOutcome>(i))) + "\"} " +
               QByteArray::number(static_cast<qulonglong>(s.kpis.totals[static_cast<std::size_t>(i)])) + '\n';
    }
    family(out, "tai_breaker_state", "gauge", "Circuit breaker state: 0 closed, 1 half-open, 2 open.");
    for (const BreakerView& b : s.breakers) {
        const int state = b.status.state == BreakerState::Closed     ? 0
                          : b.status.state == BreakerState::HalfOpen ? 1
                                                                     : 2;
        out += "tai_breaker_state{system=\"" + systemOf(b.status.name) + "\",breaker=\"" +
               label(b.status.name) + "\"} " + QByteArray::number(state) + '\n';
    }
    family(out, "tai_breaker_trips_total", "counter", "Times each breaker opened.");
    for (const BreakerView& b : s.breakers) {
        out += "tai_breaker_trips_total{system=\"" + systemOf(b.status.name) + "\",breaker=\"" +
               label(b.status.name) + "\"} " + QByteArray::number(static_cast<qulonglong>(b.status.trips)) +
               '\n';
    }
    family(out, "tai_queue_depth", "gauge", "Items waiting in a Kanban queue.");
    for (const QueueView& q : s.queues) {
        out += "tai_queue_depth{system=\"payments\",queue=\"" + label(q.name) + "\"} " +
               QByteArray::number(static_cast<qulonglong>(q.counters.depth)) + '\n';
    }
    family(out, "tai_queue_capacity", "gauge", "Capacity of a Kanban queue.");
    for (const QueueView& q : s.queues) {
        out += "tai_queue_capacity{system=\"payments\",queue=\"" + label(q.name) + "\"} " +
               QByteArray::number(static_cast<qulonglong>(q.counters.capacity)) + '\n';
    }
    family(out, "tai_queue_shed_total", "counter", "Items refused because a Kanban queue was full.");
    for (const QueueView& q : s.queues) {
        out += "tai_queue_shed_total{system=\"payments\",queue=\"" + label(q.name) + "\"} " +
               QByteArray::number(static_cast<qulonglong>(q.counters.shed)) + '\n';
    }
    family(out, "tai_payment_latency_seconds", "histogram", "Time from receiving a payment to its answer.");
    for (const auto& [bound, count] : s.kpis.latencyBuckets) {
        out += "tai_payment_latency_seconds_bucket{system=\"payments\",le=\"" + number(bound) + "\"} " +
               QByteArray::number(static_cast<qulonglong>(count)) + '\n';
    }
    out += "tai_payment_latency_seconds_bucket{system=\"payments\",le=\"+Inf\"} " +
           QByteArray::number(static_cast<qulonglong>(s.kpis.latencyCount)) + '\n';
    out += "tai_payment_latency_seconds_sum{system=\"payments\"} " + number(s.kpis.latencySumSeconds) + '\n';
    out += "tai_payment_latency_seconds_count{system=\"payments\"} " +
           QByteArray::number(static_cast<qulonglong>(s.kpis.latencyCount)) + '\n';
    family(out, "tai_andon_light", "gauge", "Overall Andon light: 0 green, 1 yellow, 2 red.");
    out += "tai_andon_light " + QByteArray::number(static_cast<int>(s.light)) + '\n';
    family(out, "tai_alerts", "gauge",
           "Alerts on the Andon board by state and severity (silenced counted apart).");
    const std::int64_t nowMs = toEpochMs(s.at);
    for (const AlertState state : {AlertState::Pending, AlertState::Firing}) {
        for (const Severity severity : {Severity::Low, Severity::High, Severity::Critical}) {
            // The severity words Alertmanager receives, so rules and routes use one vocabulary.
            for (const bool silenced : {false, true}) {
                const auto count = std::count_if(s.alerts.begin(), s.alerts.end(), [&](const ActiveAlert& a) {
                    return a.state == state && a.severity == severity && a.silencedAt(nowMs) == silenced;
                });
                out += "tai_alerts{state=\"" + label(toString(state)) + "\",severity=\"" +
                       label(alertmanagerSeverity(severity)) + "\",silenced=\"" +
                       (silenced ? "true" : "false") + "\"} " +
                       QByteArray::number(static_cast<qlonglong>(count)) + '\n';
            }
        }
    }
    if (!s.notifiers.empty()) {
        family(out, "tai_alert_notifications_total", "counter",
               "Outbound alert notifications by target and result (delivered, failed_attempt, dropped).");
        for (const NotifierStatus& n : s.notifiers) {
            const QByteArray target = "target=\"" + label(n.name) + "\",result=\"";
            out += "tai_alert_notifications_total{" + target + "delivered\"} " +
                   QByteArray::number(static_cast<qulonglong>(n.delivered)) + '\n';
            out += "tai_alert_notifications_total{" + target + "failed_attempt\"} " +
                   QByteArray::number(static_cast<qulonglong>(n.failedAttempts)) + '\n';
            out += "tai_alert_notifications_total{" + target + "dropped\"} " +
                   QByteArray::number(static_cast<qulonglong>(n.dropped)) + '\n';
        }
        family(out, "tai_alert_outbox_queued", "gauge",
               "Alert notifications waiting to be delivered, by target.");
        for (const NotifierStatus& n : s.notifiers) {
            out += "tai_alert_outbox_queued{target=\"" + label(n.name) + "\"} " +
                   QByteArray::number(static_cast<qulonglong>(n.queued)) + '\n';
        }
    }
    family(out, "tai_rollbacks_total", "counter", "Regions rolled back, automatically or by an operator.");
    out += "tai_rollbacks_total{system=\"deployments\"} " +
           QByteArray::number(static_cast<qulonglong>(s.kpis.rollbacks)) + '\n';
    family(out, "tai_deployments_completed_total", "counter", "Deployments that reached every region.");
    out += "tai_deployments_completed_total{system=\"deployments\"} " +
           QByteArray::number(static_cast<qulonglong>(s.kpis.deploymentsCompleted)) + '\n';
    if (s.kpis.lastDeploymentS >= 0) {
        family(out, "tai_deployment_duration_seconds", "gauge",
               "Request to completion of the newest completed deployment.");
        out += "tai_deployment_duration_seconds{system=\"deployments\"} " +
               QByteArray::number(s.kpis.lastDeploymentS) + '\n';
    }
    if (s.kpis.mttrS >= 0) {
        family(out, "tai_mttr_seconds", "gauge",
               "Mean time to recovery: detection to weight 0, over rollbacks.");
        out += "tai_mttr_seconds{system=\"deployments\"} " + QByteArray::number(s.kpis.mttrS) + '\n';
    }
    family(out, "tai_rollouts", "gauge", "Deployments by status.");
    for (int i = 0; i <= static_cast<int>(RolloutStatus::Interrupted); ++i) {
        const auto status = static_cast<RolloutStatus>(i);
        const auto count = std::count_if(s.rollouts.begin(), s.rollouts.end(),
                                         [status](const RolloutView& v) { return v.status == status; });
        out += "tai_rollouts{system=\"deployments\",status=\"" + label(toString(status)) + "\"} " +
               QByteArray::number(static_cast<qlonglong>(count)) + '\n';
    }
    out += processMetricsText();
    return out;
}

}  // namespace tai
