#include "andon/andon_types.h"

namespace tai {

QString toString(Severity severity) {
    switch (severity) {
        case Severity::Low:
            return QStringLiteral("LOW");
        case Severity::High:
            return QStringLiteral("HIGH");
        case Severity::Critical:
            return QStringLiteral("CRITICAL");
    }
    return {};
}

QString toString(AndonLight light) {
    switch (light) {
        case AndonLight::Green:
            return QStringLiteral("GREEN");
        case AndonLight::Yellow:
            return QStringLiteral("YELLOW");
        case AndonLight::Red:
            return QStringLiteral("RED");
    }
    return {};
}

QString toString(AlertState state) {
    switch (state) {
        case AlertState::Pending:
            return QStringLiteral("pending");
        case AlertState::Firing:
            return QStringLiteral("firing");
        case AlertState::Resolved:
            return QStringLiteral("resolved");
    }
    return {};
}

}  // namespace tai
