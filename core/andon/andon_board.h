#pragma once

#include "andon/andon_config.h"
#include "andon/andon_types.h"
#include "base/clock.h"
#include "base/refusal.h"

#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace tai {

// A change worth telling someone about: the notifiers (log, webhook, Alertmanager, tray) and the
// timeline get these. Pending alerts notify nobody.
struct AlertTransition {
    enum class Kind { Firing, Resolved };
    Kind kind = Kind::Firing;
    ActiveAlert alert;  // as it is after the change
    bool silenced = false;
};

// An operator silence: alerts whose key matches are left off the light and not notified until
// `untilMs`. A key of "rule/*" silences every subject of that rule.
struct AlertSilence {
    QString key;
    std::int64_t untilMs = 0;
    QString reason;
    QString actor;
};

// The Andon alert lifecycle of §11 on the engine clock. Feed it the conditions that hold at each
// evaluation; it keeps pending and firing alerts, applies each rule's `for` duration, resolves
// alerts whose condition cleared, and takes acknowledgements and silences. Single-threaded (the
// engine thread).
class AndonBoard {
public:
    explicit AndonBoard(AndonConfig config);
    void reconfigure(AndonConfig config);

    // The conditions that hold now (from evaluateAndon, without event alerts). Returns the
    // transitions this evaluation caused, oldest first.
    std::vector<AlertTransition> update(const std::vector<ActiveAlert>& conditions, TimePoint now);
    // An event (a rollback, a failed deployment): fires at once, once, and resolves after the
    // policy's event_alert_hold_s.
    std::vector<AlertTransition> raiseEvent(ActiveAlert alert, TimePoint now);

    // Both refuse, naming the key, when no alert matches. A silence of 0 s lifts one.
    std::optional<Refusal> acknowledge(const QString& key, const QString& actor, const QString& note,
                                       TimePoint now);
    std::optional<Refusal> silence(const QString& key, Duration duration, const QString& actor,
                                   const QString& reason, TimePoint now);

    // Pending and firing alerts, worst first, then oldest first.
    std::vector<ActiveAlert> active(TimePoint now) const;
    // Resolved alerts, newest first (at most 100).
    const std::deque<ActiveAlert>& history() const { return history_; }
    std::vector<AlertSilence> silences(TimePoint now) const;

    // The worst unsilenced firing severity sets the light; the reason names that alert.
    AndonLight light(TimePoint now, QString* reason = nullptr) const;

private:
    ActiveAlert* find(const QString& key);
    bool silenced(const ActiveAlert& alert, std::int64_t nowMs) const;
    int forSecondsOf(const QString& rule) const;
    AlertTransition resolve(std::map<QString, ActiveAlert>::iterator it, std::int64_t nowMs);

    AndonConfig config_;
    std::map<QString, ActiveAlert> alerts_;  // by key: pending and firing
    std::deque<ActiveAlert> history_;
    std::vector<AlertSilence> silences_;
};

}  // namespace tai
