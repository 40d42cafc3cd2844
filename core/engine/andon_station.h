#pragma once

#include "andon/alert_notifiers.h"
#include "andon/andon_board.h"
#include "andon/andon_evaluator.h"
#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <memory>
#include <optional>

namespace tai {

class Clock;
class EventJournal;

// Andon for the whole engine (§11): the board and its lifecycle, the rules judged against what
// the reference systems measure, event alerts they raise, the operator's acknowledgements and
// silences, and the outbound notifiers. Every alert that fires or resolves is published to the
// journal. Engine thread.
class AndonStation {
public:
    AndonStation(const AndonConfig& config, EventJournal& journal, Clock& clock,
                 const AlertNotifiers::Options& notifiers);
    ~AndonStation();

    // Judges the conditions that hold now; alerts move through pending → firing → resolved.
    void evaluate(const AndonInputs& inputs);
    // An event alert (a rollback, a failed deployment): on the timeline at once, then on the board
    // unless it is a GREEN event.
    void raise(ActiveAlert alert);
    // Acknowledge and silence; nullopt for any other command.
    std::optional<CommandResult> apply(const EngineCommand& command);
    // Where an alert can be seen (Alertmanager's generatorURL): the API's /v1/alerts.
    void setGeneratorUrl(const QUrl& url);
    // The light, the alerts, the history, the silences and the notifiers' state.
    void contribute(EngineSnapshot& snapshot) const;

private:
    void announce(const std::vector<AlertTransition>& transitions);

    AndonConfig config_;
    EventJournal& journal_;
    Clock& clock_;
    AndonBoard board_;
    std::unique_ptr<AlertNotifiers> notifiers_;
};

}  // namespace tai
