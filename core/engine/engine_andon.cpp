// The engine's side of Andon: deployment events raised as event alerts, and every alert that
// fires or resolves told to the timeline, the log and the notifiers.
#include "andon/alert_notifiers.h"
#include "engine/engine_core.h"
#include "engine/engine_observer.h"

#include <spdlog/spdlog.h>

namespace tai {

void EngineCore::onDeploymentAlert(Severity severity, const QString& rule, const QString& subject,
                                   const QString& message) {
    addTimeline(QStringLiteral("andon"), subject, toString(severity) + QStringLiteral(": ") + message);
    spdlog::info("andon {} {}: {}", toString(severity).toStdString(), rule.toStdString(),
                 message.toStdString());
    if (severity == Severity::Low) {
        return;  // a GREEN event: on the timeline, not on the board
    }
    const QString control = rule == u"rollback_triggered" || rule == u"deployment_failed"
                                ? QStringLiteral("rollback")
                                : QString();
    ActiveAlert alert;
    alert.rule = rule;
    alert.severity = severity;
    alert.subject = subject;
    alert.message = message;
    alert.value = 1;
    alert.control = control;
    announce(andon_.raiseEvent(std::move(alert), clock_->now()));
    requestExtraSnapshot();
}

void EngineCore::announce(const std::vector<AlertTransition>& transitions) {
    for (const AlertTransition& t : transitions) {
        const ActiveAlert& a = t.alert;
        const bool firing = t.kind == AlertTransition::Kind::Firing;
        const QString text = (firing ? QStringLiteral("FIRING ") + toString(a.severity) + QStringLiteral(": ")
                                     : QStringLiteral("resolved: ")) +
                             a.message + (t.silenced ? QStringLiteral(" (silenced)") : QString());
        if (!a.event || !firing) {  // an event alert's own timeline entry is already there
            addTimeline(QStringLiteral("andon"), a.subject, text);
        }
        spdlog::log(firing && !t.silenced ? spdlog::level::warn : spdlog::level::info, "andon {} {}: {}",
                    a.key.toStdString(), firing ? "firing" : "resolved", a.message.toStdString());
        if (config_.observer) {
            config_.observer->alertTransition(t, clock_->now());
        }
        if (alertSink_) {
            alertSink_(t);  // the notifiers decide what a silenced transition means to them
        }
    }
}

}  // namespace tai
