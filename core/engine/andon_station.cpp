#include "engine/andon_station.h"

#include "engine/event_journal.h"

#include <spdlog/spdlog.h>

namespace tai {

AndonStation::AndonStation(const AndonConfig& config, EventJournal& journal, Clock& clock,
                           const AlertNotifiers::Options& notifiers)
    : config_(config), journal_(journal), clock_(clock), board_(config) {
    if (!notifiers.webhook.isEmpty() || !notifiers.alertmanager.isEmpty()) {
        notifiers_ = std::make_unique<AlertNotifiers>(notifiers);
        journal_.setAlertSink([sink = notifiers_.get()](const AlertTransition& t) { sink->notify(t); });
    }
}

AndonStation::~AndonStation() {
    journal_.setAlertSink({});
    notifiers_.reset();  // gives up on undelivered alerts: the engine is going away
}

void AndonStation::setGeneratorUrl(const QUrl& url) {
    if (notifiers_) {
        notifiers_->setGeneratorUrl(url);
    }
}

void AndonStation::announce(const std::vector<AlertTransition>& transitions) {
    for (const AlertTransition& t : transitions) {
        journal_.publish(EngineEvent{clock_.now(), t});
    }
}

void AndonStation::evaluate(const AndonInputs& inputs) {
    announce(board_.update(evaluateAndon(inputs, config_).alerts, clock_.now()));
}

void AndonStation::raise(ActiveAlert alert) {
    journal_.note(QStringLiteral("andon"), alert.subject,
                  toString(alert.severity) + QStringLiteral(": ") + alert.message);
    spdlog::info("andon {} {}: {}", toString(alert.severity).toStdString(), alert.rule.toStdString(),
                 alert.message.toStdString());
    if (alert.severity == Severity::Low) {
        return;  // a GREEN event: on the timeline, not on the board
    }
    announce(board_.raiseEvent(std::move(alert), clock_.now()));
}

std::optional<CommandResult> AndonStation::apply(const EngineCommand& command) {
    const auto* c = std::get_if<ControlAlert>(&command);
    if (c == nullptr) {
        return std::nullopt;
    }
    const TimePoint now = clock_.now();
    const std::optional<Refusal> refused =
        c->action == ControlAlert::Action::Acknowledge
            ? board_.acknowledge(c->key, c->origin.actor, c->origin.reason, now)
            : board_.silence(c->key, std::chrono::seconds(c->durationS), c->origin.actor, c->origin.reason,
                             now);
    return refused ? CommandResult::refused(*refused) : CommandResult::applied();
}

void AndonStation::contribute(EngineSnapshot& snapshot) const {
    const TimePoint now = clock_.now();
    snapshot.light = board_.light(now, &snapshot.lightReason);
    snapshot.alerts = board_.active(now);
    const auto& resolved = board_.history();
    snapshot.alertHistory.assign(
        resolved.begin(),
        resolved.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(resolved.size(), 50)));
    snapshot.silences = board_.silences(now);
    if (notifiers_) {
        snapshot.notifiers = notifiers_->status();
    }
}

}  // namespace tai
