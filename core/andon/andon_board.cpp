#include "andon/andon_board.h"

#include <algorithm>

namespace tai {

namespace {
constexpr std::size_t kHistory = 100;

QString keyOf(const ActiveAlert& alert) {
    return alert.rule + QLatin1Char('/') + alert.subject;
}

bool matches(const AlertSilence& silence, const QString& key) {
    if (silence.key.endsWith(QStringLiteral("/*"))) {
        return key.startsWith(silence.key.left(silence.key.size() - 1));
    }
    return silence.key == key;
}

AlertTransition transition(AlertTransition::Kind kind, const ActiveAlert& alert, bool silenced) {
    return AlertTransition{kind, alert, silenced};
}
}  // namespace

AndonBoard::AndonBoard(AndonConfig config) : config_(std::move(config)) {}

void AndonBoard::reconfigure(AndonConfig config) {
    config_ = std::move(config);
}

int AndonBoard::forSecondsOf(const QString& rule) const {
    for (const AndonRuleConfig& r : config_.rules) {
        if (r.name == rule) {
            return r.forS;
        }
    }
    return 0;
}

bool AndonBoard::silenced(const ActiveAlert& alert, std::int64_t nowMs) const {
    return std::any_of(silences_.begin(), silences_.end(),
                       [&](const AlertSilence& s) { return s.untilMs > nowMs && matches(s, alert.key); });
}

AlertTransition AndonBoard::resolve(std::map<QString, ActiveAlert>::iterator it, std::int64_t nowMs) {
    ActiveAlert alert = std::move(it->second);
    alerts_.erase(it);
    alert.state = AlertState::Resolved;
    alert.resolvedAtMs = nowMs;
    const bool quiet = silenced(alert, nowMs);
    history_.push_front(alert);
    while (history_.size() > kHistory) {
        history_.pop_back();
    }
    return transition(AlertTransition::Kind::Resolved, alert, quiet);
}

std::vector<AlertTransition> AndonBoard::update(const std::vector<ActiveAlert>& conditions, TimePoint now) {
    const std::int64_t nowMs = toEpochMs(now);
    std::erase_if(silences_, [nowMs](const AlertSilence& s) { return s.untilMs <= nowMs; });
    std::vector<AlertTransition> changes;
    std::vector<QString> holding;
    for (const ActiveAlert& condition : conditions) {
        const QString key = keyOf(condition);
        holding.push_back(key);
        auto it = alerts_.find(key);
        if (it == alerts_.end()) {
            ActiveAlert alert = condition;
            alert.key = key;
            alert.state = AlertState::Pending;
            alert.raisedAtMs = nowMs;
            alert.forS = forSecondsOf(condition.rule);
            it = alerts_.emplace(key, std::move(alert)).first;
        } else {
            ActiveAlert& alert = it->second;  // the latest value and wording, same lifecycle
            alert.message = condition.message;
            alert.value = condition.value;
            alert.threshold = condition.threshold;
            alert.severity = condition.severity;
            alert.control = condition.control;
        }
        ActiveAlert& alert = it->second;
        if (alert.state == AlertState::Pending && nowMs - alert.raisedAtMs >= alert.forS * 1000LL) {
            alert.state = AlertState::Firing;
            alert.firingAtMs = nowMs;
            changes.push_back(transition(AlertTransition::Kind::Firing, alert, silenced(alert, nowMs)));
        }
    }
    const std::int64_t holdMs = config_.eventAlertHoldS * 1000LL;
    for (auto it = alerts_.begin(); it != alerts_.end();) {
        const ActiveAlert& alert = it->second;
        const bool stillHolds = alert.event
                                    ? nowMs < alert.firingAtMs + holdMs
                                    : std::find(holding.begin(), holding.end(), it->first) != holding.end();
        if (stillHolds) {
            ++it;
        } else if (alert.state == AlertState::Firing) {
            const auto next = std::next(it);
            changes.push_back(resolve(it, nowMs));
            it = next;
        } else {
            it = alerts_.erase(it);  // pending that never fired: nothing to tell
        }
    }
    return changes;
}

std::vector<AlertTransition> AndonBoard::raiseEvent(ActiveAlert alert, TimePoint now) {
    const std::int64_t nowMs = toEpochMs(now);
    alert.event = true;
    alert.key = keyOf(alert);
    alert.state = AlertState::Firing;
    alert.raisedAtMs = nowMs;
    alert.firingAtMs = nowMs;
    std::vector<AlertTransition> changes;
    if (const auto it = alerts_.find(alert.key); it != alerts_.end()) {
        changes.push_back(resolve(it, nowMs));  // the same event again replaces the old one
    }
    const bool quiet = silenced(alert, nowMs);
    changes.push_back(transition(AlertTransition::Kind::Firing, alert, quiet));
    alerts_.emplace(alert.key, std::move(alert));
    return changes;
}

ActiveAlert* AndonBoard::find(const QString& key) {
    const auto it = alerts_.find(key);
    if (it != alerts_.end()) {
        return &it->second;
    }
    if (!key.contains(QLatin1Char('/'))) {  // a bare rule: its first alert by key (scenario scripts)
        for (auto& [alertKey, alert] : alerts_) {
            if (alert.rule == key) {
                return &alert;
            }
        }
    }
    return nullptr;
}

std::optional<Refusal> AndonBoard::acknowledge(const QString& key, const QString& actor, const QString& note,
                                               TimePoint now) {
    ActiveAlert* alert = find(key);
    if (alert == nullptr) {
        return notFound(QStringLiteral("alert"),
                        QStringLiteral("unknown key '%1': no pending or firing alert has it").arg(key));
    }
    alert->acknowledged = true;
    alert->ackBy = actor;
    alert->ackNote = note;
    alert->ackAtMs = toEpochMs(now);
    return std::nullopt;
}

std::optional<Refusal> AndonBoard::silence(const QString& key, Duration duration, const QString& actor,
                                           const QString& reason, TimePoint now) {
    const std::int64_t nowMs = toEpochMs(now);
    const bool wildcard = key.endsWith(QStringLiteral("/*"));
    const QString rule = wildcard ? key.left(key.size() - 2) : QString();
    const bool knownRule =
        wildcard && std::any_of(config_.rules.begin(), config_.rules.end(),
                                [&rule](const AndonRuleConfig& r) { return r.name == rule; });
    const bool matchesAlert = std::any_of(alerts_.begin(), alerts_.end(), [&](const auto& entry) {
        return matches(AlertSilence{key, 0, {}, {}}, entry.first);
    });
    if (!knownRule && !matchesAlert) {
        return notFound(
            QStringLiteral("alert"),
            QStringLiteral("unknown key '%1': no pending or firing alert has it (RULE/* silences a rule)")
                .arg(key));
    }
    if (duration < Duration{0}) {
        return invalid(QStringLiteral("duration_s"), QStringLiteral("must be 0 (lift the silence) or more"));
    }
    std::erase_if(silences_, [&key](const AlertSilence& s) { return s.key == key; });
    if (duration > Duration{0}) {
        silences_.push_back(
            AlertSilence{key, nowMs + std::chrono::duration_cast<std::chrono::milliseconds>(duration).count(),
                         reason, actor});
    }
    return std::nullopt;
}

std::vector<ActiveAlert> AndonBoard::active(TimePoint now) const {
    const std::int64_t nowMs = toEpochMs(now);
    std::vector<ActiveAlert> out;
    out.reserve(alerts_.size());
    for (const auto& [key, alert] : alerts_) {
        out.push_back(alert);
        ActiveAlert& copy = out.back();
        copy.silencedUntilMs = 0;
        for (const AlertSilence& s : silences_) {
            if (s.untilMs > nowMs && matches(s, key) && s.untilMs > copy.silencedUntilMs) {
                copy.silencedUntilMs = s.untilMs;
                copy.silenceReason = s.reason;
                copy.silencedBy = s.actor;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const ActiveAlert& a, const ActiveAlert& b) {
        if (a.state != b.state) {
            return a.state == AlertState::Firing;
        }
        if (a.severity != b.severity) {
            return a.severity > b.severity;
        }
        return a.raisedAtMs < b.raisedAtMs;
    });
    return out;
}

std::vector<AlertSilence> AndonBoard::silences(TimePoint now) const {
    const std::int64_t nowMs = toEpochMs(now);
    std::vector<AlertSilence> out;
    std::copy_if(silences_.begin(), silences_.end(), std::back_inserter(out),
                 [nowMs](const AlertSilence& s) { return s.untilMs > nowMs; });
    return out;
}

AndonLight AndonBoard::light(TimePoint now, QString* reason) const {
    const std::int64_t nowMs = toEpochMs(now);
    const ActiveAlert* worst = nullptr;
    int firing = 0;
    for (const auto& [key, alert] : alerts_) {
        if (alert.state != AlertState::Firing || silenced(alert, nowMs)) {
            continue;
        }
        ++firing;
        if (worst == nullptr || alert.severity > worst->severity ||
            (alert.severity == worst->severity && alert.firingAtMs < worst->firingAtMs)) {
            worst = &alert;
        }
    }
    if (worst == nullptr || worst->severity == Severity::Low) {
        if (reason != nullptr) {
            *reason = QStringLiteral("All clear");
        }
        return AndonLight::Green;
    }
    if (reason != nullptr) {
        *reason = worst->message;
        if (firing > 1) {
            *reason += QStringLiteral(" (+%1 more)").arg(firing - 1);
        }
    }
    return worst->severity == Severity::Critical ? AndonLight::Red : AndonLight::Yellow;
}

}  // namespace tai
