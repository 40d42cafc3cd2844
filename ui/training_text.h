#pragma once

#include <QJsonObject>
#include <QString>

namespace tai::ui {

// Words for a scenario's objectives and report events, shared by the briefing and the debrief.
QString clockText(double seconds);                    // "T+04:12" (or "T+04:12.5" with tenths)
QString objectiveText(const QJsonObject& objective);  // "Acknowledge breaker_open within 60 s of it firing"
// "✓ met after 9.9 s", "✗ not met (not done)", or "…" while the run has not judged it yet.
QString objectiveResult(const QJsonObject& objective, bool final);
QString eventText(const QJsonObject& event);  // "payment-gateway: closed → open (5 consecutive failures)"

}  // namespace tai::ui
