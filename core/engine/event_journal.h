#pragma once

#include "engine/engine_event.h"
#include "engine/engine_snapshot.h"

#include <deque>
#include <functional>
#include <map>
#include <vector>

namespace tai {

class AuditStore;
class Clock;
class EngineObserver;

// The one place the engine's events go (DESIGN.md §7, §3). publish() is the only code that writes
// audit rows, and it also feeds the timeline, the scenario observer, the log and the outbound
// notifiers, in one fixed order per kind of event, so the audit trail (and every scenario's
// digest) reads the same whatever part of the engine raised the event.
//
// A command's own row comes before the rows of what it caused: events published between
// beginCommand() and endCommand() are held and follow the command's row.
//
// Engine thread only.
class EventJournal {
public:
    struct Options {
        AuditStore* audit = nullptr;         // the durable trail, if any
        EngineObserver* observer = nullptr;  // a scenario run's recorder, if any
        QString policyVersion;
        std::function<void(std::function<void()>)> post;  // runs work later on the engine thread
        std::function<void()> changed;                    // a transition happened: an extra snapshot
    };

    EventJournal(Options options, const Clock& clock);

    void publish(EngineEvent event);
    // A NoteEvent at the clock's time.
    void note(const QString& kind, const QString& subject, const QString& text);
    // Where alerts that fire and resolve go besides the timeline and the log (the notifiers).
    void setAlertSink(std::function<void(const AlertTransition&)> sink) { alertSink_ = std::move(sink); }

    void beginCommand();
    void endCommand(const EngineCommand& command, const CommandResult& result);

    // Decisions need the journal only when someone keeps them: without a store or an observer a
    // payment is answered at once.
    bool keepsDecisions() const { return options_.audit != nullptr || options_.observer != nullptr; }
    // Decisions are released only once committed to the audit store.
    bool durable() const { return options_.audit != nullptr; }

    const std::deque<TimelineEvent>& timeline() const { return timeline_; }  // newest last, at most 200
    std::vector<BreakerTransition> recentTransitions(const QString& breaker) const;  // newest last

private:
    void apply(const EngineEvent& event);
    void audit(TimePoint at, const QString& kind, const QString& subject, const QByteArray& payload,
               const QString& traceId = {});
    void addTimeline(TimePoint at, const QString& kind, const QString& subject, const QString& text,
                     bool refused = false);
    void record(const BreakerTransition& transition);
    void record(TimePoint at, const RolloutReportEvent& event);
    void record(TimePoint at, const AlertTransition& transition);
    void record(TimePoint at, const CommandEvent& event);
    void record(TimePoint at, const DecisionEvent& event);

    Options options_;
    const Clock& clock_;
    std::function<void(const AlertTransition&)> alertSink_;
    std::deque<TimelineEvent> timeline_;
    std::uint64_t timelineSequence_ = 0;
    std::map<QString, std::deque<BreakerTransition>> transitions_;  // per breaker, newest last
    int commandDepth_ = 0;
    std::vector<EngineEvent> held_;
};

}  // namespace tai
