#include "status_colors.h"

namespace tai::ui {

namespace {
const QColor kGreen(0x2e, 0xa0, 0x43);
const QColor kAmber(0xe0, 0x9b, 0x12);
const QColor kRed(0xd0, 0x31, 0x2d);
}  // namespace

QColor lightColor(AndonLight light) {
    switch (light) {
        case AndonLight::Green:
            return kGreen;
        case AndonLight::Yellow:
            return kAmber;
        case AndonLight::Red:
            return kRed;
    }
    return kGreen;
}

QColor breakerColor(BreakerState state) {
    switch (state) {
        case BreakerState::Closed:
            return kGreen;
        case BreakerState::HalfOpen:
            return kAmber;
        case BreakerState::Open:
            return kRed;
    }
    return kGreen;
}

QColor severityColor(Severity severity) {
    return severity == Severity::Critical ? kRed : severity == Severity::High ? kAmber : kGreen;
}

QColor faultColor() {
    return QColor(0xc2, 0x5e, 0x00);
}

}  // namespace tai::ui
