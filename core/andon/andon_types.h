#pragma once

#include <QString>

#include <cstdint>

namespace tai {

enum class Severity { Low, High, Critical };
enum class AndonLight { Green, Yellow, Red };

QString toString(Severity severity);  // "LOW", "HIGH", "CRITICAL"
QString toString(AndonLight light);   // "GREEN", "YELLOW", "RED"

// An alert condition that holds now (§11). `control` names the operator action that answers it,
// for example "force_half_open" for an open breaker.
struct ActiveAlert {
    QString rule;  // fraud_rate, breaker_open, p99_latency_ms, error_rate, success_rate
    Severity severity = Severity::High;
    QString subject;
    QString message;
    double value = 0;
    double threshold = 0;
    QString control;
    std::int64_t raisedAtMs = 0;  // for event alerts: when they fired
};

}  // namespace tai
