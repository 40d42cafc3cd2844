#include "status_colors.h"

#include <algorithm>
#include <cmath>

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

namespace {
double luminance(const QColor& c) {
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
}  // namespace

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableTextOn(const QColor& fill) {
    const QColor white(Qt::white);
    const QColor black(0x11, 0x11, 0x11);
    return contrastRatio(fill, white) >= contrastRatio(fill, black) ? white : black;
}

}  // namespace tai::ui
