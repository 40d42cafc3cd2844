#include "andon/andon_evaluator.h"

#include <algorithm>

namespace tai {

namespace {
const AndonRuleConfig* rule(const AndonConfig& config, const QString& name) {
    const auto found = std::find_if(config.rules.begin(), config.rules.end(),
                                    [&name](const AndonRuleConfig& r) { return r.name == name; });
    return found == config.rules.end() ? nullptr : &*found;
}

Severity severityOf(const AndonRuleConfig& r) {
    return r.severity == u"CRITICAL" ? Severity::Critical
           : r.severity == u"HIGH"   ? Severity::High
                                     : Severity::Low;
}

ActiveAlert condition(const AndonRuleConfig& r, QString subject, QString message, double value,
                      QString control = {}) {
    ActiveAlert a;
    a.rule = r.name;
    a.severity = severityOf(r);
    a.subject = std::move(subject);
    a.message = std::move(message);
    a.value = value;
    a.threshold = r.threshold;
    a.control = std::move(control);
    return a;
}

QString percent(double v) {
    return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
}
}  // namespace

AndonVerdict evaluateAndon(const AndonInputs& in, const AndonConfig& config) {
    AndonVerdict verdict;
    auto& alerts = verdict.alerts;
    if (const auto* r = rule(config, QStringLiteral("breaker_open"))) {
        for (const QString& breaker : in.openBreakers) {
            alerts.push_back(condition(*r, breaker, breaker + QStringLiteral(" breaker open"), 1,
                                       QStringLiteral("force_half_open")));
        }
    }
    if (const auto* r = rule(config, QStringLiteral("fraud_rate"));
        r && in.rejectRate.enoughData && in.rejectRate.value > r->threshold) {
        alerts.push_back(condition(*r, QStringLiteral("payments"),
                                   QStringLiteral("fraud (reject) rate ") + percent(in.rejectRate.value) +
                                       QStringLiteral(" > ") + percent(r->threshold),
                                   in.rejectRate.value));
    }
    if (const auto* r = rule(config, QStringLiteral("p99_latency_ms"));
        r && in.latencyKnown && in.p99Ms > r->threshold) {
        alerts.push_back(condition(
            *r, QStringLiteral("payments"),
            QStringLiteral("p99 latency %1 ms > %2 ms").arg(in.p99Ms, 0, 'f', 0).arg(r->threshold, 0, 'f', 0),
            in.p99Ms));
    }
    if (const auto* r = rule(config, QStringLiteral("error_rate"));
        r && in.errorRate.enoughData && in.errorRate.value > r->threshold) {
        alerts.push_back(condition(*r, QStringLiteral("payment-gateway"),
                                   QStringLiteral("gateway error rate ") + percent(in.errorRate.value) +
                                       QStringLiteral(" > ") + percent(r->threshold),
                                   in.errorRate.value));
    }
    if (const auto* r = rule(config, QStringLiteral("success_rate"));
        r && in.successRate.enoughData && in.successRate.value < r->threshold) {
        alerts.push_back(condition(*r, QStringLiteral("payments"),
                                   QStringLiteral("success rate ") + percent(in.successRate.value) +
                                       QStringLiteral(" < ") + percent(r->threshold),
                                   in.successRate.value));
    }
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const ActiveAlert& a, const ActiveAlert& b) { return a.severity > b.severity; });
    if (alerts.empty()) {
        verdict.reason = QStringLiteral("All clear");
        return verdict;
    }
    const Severity worst = alerts.front().severity;
    verdict.light = worst == Severity::Critical ? AndonLight::Red
                    : worst == Severity::High   ? AndonLight::Yellow
                                                : AndonLight::Green;
    verdict.reason = alerts.front().message;
    if (alerts.size() > 1) {
        verdict.reason += QStringLiteral(" (+%1 more)").arg(alerts.size() - 1);
    }
    return verdict;
}

}  // namespace tai
