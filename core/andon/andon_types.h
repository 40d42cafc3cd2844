#pragma once

#include <QString>

#include <cstdint>

namespace tai {

enum class Severity { Low, High, Critical };
enum class AndonLight { Green, Yellow, Red };

QString toString(Severity severity);  // "LOW", "HIGH", "CRITICAL"
QString toString(AndonLight light);   // "GREEN", "YELLOW", "RED"

// The §11 lifecycle: a condition that holds is pending until it has held for the rule's `for`
// duration, then firing; when it clears a firing alert is resolved (a pending one just goes).
enum class AlertState { Pending, Firing, Resolved };
QString toString(AlertState state);  // "pending", "firing", "resolved"

// An alert (§11). Evaluating the rules yields the conditions that hold now (state unset); the
// Andon board adds the lifecycle, acknowledgement and silencing. `control` names the operator
// action that answers it, for example "force_half_open" for an open breaker.
struct ActiveAlert {
    QString rule;  // fraud_rate, breaker_open, p99_latency_ms, error_rate, success_rate, or an event
    Severity severity = Severity::High;
    QString subject;
    QString message;
    double value = 0;
    double threshold = 0;
    QString control;
    QString region;               // the region the alert is about, when it is about one (a rollout's region)
    QString system;               // the reference system it is about: payments, deployments
    std::int64_t raisedAtMs = 0;  // when the condition started to hold (pending since)

    // Set by the Andon board.
    QString key;  // rule/subject: what acknowledgements and silences refer to
    AlertState state = AlertState::Firing;
    bool event = false;             // raised by an event: fires at once, once
    std::int64_t firingAtMs = 0;    // 0 while pending
    std::int64_t resolvedAtMs = 0;  // 0 until resolved
    int forS = 0;
    bool acknowledged = false;
    QString ackBy;
    QString ackNote;
    std::int64_t ackAtMs = 0;
    std::int64_t silencedUntilMs = 0;  // 0 when not silenced
    QString silenceReason;
    QString silencedBy;

    bool silencedAt(std::int64_t nowMs) const { return silencedUntilMs > nowMs; }
};

}  // namespace tai
