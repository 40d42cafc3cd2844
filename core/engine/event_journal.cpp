#include "engine/event_journal.h"

#include "audit/audit_store.h"
#include "engine/command_text.h"
#include "engine/engine_observer.h"
#include "payments/payment_json.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <spdlog/spdlog.h>

namespace tai {

namespace {
constexpr std::size_t kTimelineEvents = 200;
constexpr std::size_t kTransitionsPerBreaker = 10;

QByteArray compact(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
}  // namespace

EventJournal::EventJournal(Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

void EventJournal::note(const QString& kind, const QString& subject, const QString& text) {
    publish(EngineEvent{clock_.now(), NoteEvent{kind, subject, text}});
}

void EventJournal::publish(EngineEvent event) {
    // Decisions carry pointers that live only as long as this call; they are never held.
    if (commandDepth_ > 0 && !std::holds_alternative<DecisionEvent>(event.what)) {
        held_.push_back(std::move(event));
        return;
    }
    apply(event);
}

void EventJournal::beginCommand() {
    ++commandDepth_;
}

void EventJournal::endCommand(const EngineCommand& command, const CommandResult& result) {
    if (--commandDepth_ > 0) {
        return;
    }
    std::vector<EngineEvent> effects;
    effects.swap(held_);
    const TimePoint now = clock_.now();
    const CommandEvent own{command, result};
    if (!result.auditedBySystem) {
        const CommandOrigin& origin = originOf(command);
        QJsonObject payload{{QStringLiteral("actor"), origin.actor},
                            {QStringLiteral("reason"), origin.reason},
                            {QStringLiteral("command"), commandName(command)},
                            {QStringLiteral("text"), describe(command)}};
        if (result.refusal) {
            payload.insert(QStringLiteral("outcome"), QStringLiteral("refused"));
            payload.insert(QStringLiteral("code"), toString(result.refusal->code));
            payload.insert(QStringLiteral("field"), result.refusal->field);
            payload.insert(QStringLiteral("error"), result.refusal->message);
        }
        audit(now, QStringLiteral("operator"), commandSubject(command), compact(payload));
        addTimeline(now, QStringLiteral("operator"), commandSubject(command),
                    result.refusal
                        ? QStringLiteral("REFUSED (%1): %2 — %3")
                              .arg(toString(result.refusal->code), describe(command), result.error())
                        : describe(command),
                    result.refusal.has_value());
    }
    for (const EngineEvent& effect : effects) {
        apply(effect);
    }
    record(now, own);
}

void EventJournal::apply(const EngineEvent& event) {
    std::visit(
        [this, &event](const auto& what) {
            using T = std::decay_t<decltype(what)>;
            if constexpr (std::is_same_v<T, BreakerTransition>) {
                record(what);
            } else if constexpr (std::is_same_v<T, NoteEvent>) {
                audit(event.at, what.kind, what.subject,
                      compact(QJsonObject{{QStringLiteral("text"), what.text}}));
                addTimeline(event.at, what.kind, what.subject, what.text);
            } else if constexpr (std::is_same_v<T, CommandEvent>) {
                record(event.at, what);
            } else {
                record(event.at, what);
            }
        },
        event.what);
}

void EventJournal::audit(TimePoint at, const QString& kind, const QString& subject, const QByteArray& payload,
                         const QString& traceId) {
    if (options_.audit == nullptr && options_.observer == nullptr) {
        return;
    }
    AuditRow row{toEpochMs(at), traceId, kind, subject, payload, options_.policyVersion};
    if (options_.observer != nullptr) {
        options_.observer->auditRow(row);
    }
    if (options_.audit != nullptr) {
        options_.audit->append(std::move(row));
    }
}

void EventJournal::addTimeline(TimePoint at, const QString& kind, const QString& subject, const QString& text,
                               bool refused) {
    timeline_.push_back(TimelineEvent{++timelineSequence_, at, kind, subject, text, refused});
    while (timeline_.size() > kTimelineEvents) {
        timeline_.pop_front();
    }
}

void EventJournal::record(const BreakerTransition& t) {
    if (options_.observer != nullptr) {
        options_.observer->breakerTransition(t);
    }
    auto& recent = transitions_[t.breaker];
    recent.push_back(t);
    while (recent.size() > kTransitionsPerBreaker) {
        recent.pop_front();
    }
    const QString text = toString(t.from) + QStringLiteral(" → ") + toString(t.to) +
                         (t.forced ? QStringLiteral(" (forced)") : QString()) + QStringLiteral(": ") +
                         t.reason;
    audit(clock_.now(), QStringLiteral("breaker_transition"), t.breaker,
          compact(QJsonObject{{QStringLiteral("text"), text}}));
    addTimeline(clock_.now(), QStringLiteral("breaker_transition"), t.breaker, text);
    spdlog::info("breaker {}: {} -> {}{} ({})", t.breaker.toStdString(), toString(t.from).toStdString(),
                 toString(t.to).toStdString(), t.forced ? " forced" : "", t.reason.toStdString());
    if (options_.changed) {
        options_.changed();
    }
}

void EventJournal::record(TimePoint, const RolloutReportEvent& e) {
    audit(e.at, e.kind, e.deployment,
          compact(QJsonObject{{QStringLiteral("region"), e.region},
                              {QStringLiteral("stage"), e.stage},
                              {QStringLiteral("weight"), e.weight},
                              {QStringLiteral("reason"), e.reason}}));
    if (options_.observer != nullptr) {
        options_.observer->rolloutEvent(e);
    }
}

void EventJournal::record(TimePoint at, const AlertTransition& t) {
    const ActiveAlert& a = t.alert;
    const bool firing = t.kind == AlertTransition::Kind::Firing;
    if (!a.event || !firing) {  // an event alert's own timeline entry (a note) is already there
        const QString text = (firing ? QStringLiteral("FIRING ") + toString(a.severity) + QStringLiteral(": ")
                                     : QStringLiteral("resolved: ")) +
                             a.message + (t.silenced ? QStringLiteral(" (silenced)") : QString());
        audit(at, QStringLiteral("andon"), a.subject, compact(QJsonObject{{QStringLiteral("text"), text}}));
        addTimeline(at, QStringLiteral("andon"), a.subject, text);
    }
    spdlog::log(firing && !t.silenced ? spdlog::level::warn : spdlog::level::info, "andon {} {}: {}",
                a.key.toStdString(), firing ? "firing" : "resolved", a.message.toStdString());
    if (options_.observer != nullptr) {
        options_.observer->alertTransition(t, at);
    }
    if (alertSink_) {
        alertSink_(t);  // the notifiers decide what a silenced transition means to them
    }
}

void EventJournal::record(TimePoint at, const CommandEvent& e) {
    if (options_.observer != nullptr) {
        options_.observer->command(e.command, e.result, at);
    }
    if (e.result.ok() && options_.changed) {
        options_.changed();  // a refused command changed nothing
    }
}

void EventJournal::record(TimePoint at, const DecisionEvent& d) {
    if (options_.observer != nullptr) {
        options_.observer->decision(*d.signal, *d.response, at);
    }
    if (options_.audit == nullptr) {
        (*d.release)();
        return;
    }
    std::vector<AuditRow> rows;
    const std::int64_t now = toEpochMs(at);
    rows.push_back(AuditRow{now, d.response->traceId, QStringLiteral("decision"), d.response->id,
                            decisionAuditJson(*d.signal, *d.response), options_.policyVersion});
    std::optional<IdempotencyRow> keyRow;
    if (d.key != nullptr && d.signal->idempotencyKey) {
        keyRow = IdempotencyRow{*d.signal->idempotencyKey, d.key->canonicalHash,
                                paymentResponseJson(d.key->response), now};
    }
    // A response is released on the engine thread once the commit that holds it is on disk (§7).
    options_.audit->appendDurable(
        std::move(rows), std::move(keyRow),
        [post = options_.post, release = std::move(*d.release)]() mutable { post(std::move(release)); });
}

std::vector<BreakerTransition> EventJournal::recentTransitions(const QString& breaker) const {
    const auto found = transitions_.find(breaker);
    return found == transitions_.end()
               ? std::vector<BreakerTransition>{}
               : std::vector<BreakerTransition>(found->second.begin(), found->second.end());
}

}  // namespace tai
