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

ActiveAlert condition(const AndonRuleConfig& r, QString subject, QString message, double value) {
    ActiveAlert a;
    a.rule = r.name;
    a.severity = severityOf(r);
    a.subject = std::move(subject);
    a.message = std::move(message);
    a.value = value;
    a.threshold = r.threshold;
    return a;
}

QString formatted(double v, AndonMeasurement::Unit unit) {
    if (unit == AndonMeasurement::Unit::Ratio) {
        return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
    }
    return QString::number(v, 'f', 0) + QStringLiteral(" ms");
}
}  // namespace

AndonVerdict evaluateAndon(const AndonInputs& in, const AndonConfig& config) {
    AndonVerdict verdict;
    auto& alerts = verdict.alerts;
    if (const auto* r = rule(config, QStringLiteral("breaker_open"))) {
        for (const OpenBreaker& breaker : in.openBreakers) {
            ActiveAlert a = condition(*r, breaker.name, breaker.name + QStringLiteral(" breaker open"), 1);
            a.control = QStringLiteral("force_half_open");
            a.region = breaker.region;
            a.system = breaker.system;
            alerts.push_back(std::move(a));
        }
    }
    for (const AndonMeasurement& m : in.measurements) {
        const auto* r = rule(config, m.rule);
        if (r == nullptr || !m.known) {
            continue;
        }
        const bool bad =
            m.bad == AndonMeasurement::Bad::Above ? m.value > r->threshold : m.value < r->threshold;
        if (!bad) {
            continue;
        }
        alerts.push_back(condition(
            *r, m.subject,
            m.label + QLatin1Char(' ') + formatted(m.value, m.unit) +
                (m.bad == AndonMeasurement::Bad::Above ? QStringLiteral(" > ") : QStringLiteral(" < ")) +
                formatted(r->threshold, m.unit),
            m.value));
        alerts.back().system = m.system;
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
