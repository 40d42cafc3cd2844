#include "light_reading.h"

#include "alert_board_model.h"
#include "status_colors.h"

namespace tai::ui {

namespace {
Severity lightSeverity(AndonLight light) {
    return light == AndonLight::Red      ? Severity::Critical
           : light == AndonLight::Yellow ? Severity::High
                                         : Severity::Low;
}
}  // namespace

LightReading readLight(const EngineSnapshot& s) {
    LightReading reading{s.lightReason, QColor(), 0};
    const std::int64_t now = toEpochMs(s.at);
    const ActiveAlert* worst = nullptr;
    for (const ActiveAlert& a : s.alerts) {
        if (a.state != AlertState::Firing || !a.silencedAt(now)) {
            continue;
        }
        ++reading.silencedFiring;
        if (worst == nullptr || a.severity > worst->severity) {
            worst = &a;
        }
    }
    if (worst == nullptr || worst->severity == Severity::Low || worst->severity <= lightSeverity(s.light)) {
        return reading;
    }
    reading.ring = severityColor(worst->severity);
    const QString silenced =
        QStringLiteral("SILENCED %1: %2 (%3 left)")
            .arg(toString(worst->severity), worst->message, ageText(worst->silencedUntilMs - now));
    const QString more = reading.silencedFiring > 1
                             ? QStringLiteral(" (+%1 more silenced)").arg(reading.silencedFiring - 1)
                             : QString();
    const QString before = s.light == AndonLight::Green ? QString() : s.lightReason + QStringLiteral(" · ");
    reading.reason = before + silenced + more;
    return reading;
}

}  // namespace tai::ui
