#pragma once

#include "andon/andon_types.h"
#include "jidoka/breaker_types.h"

#include <QColor>

namespace tai::ui {

// Semantic colours, the same in light and dark palettes: a light must mean the same thing
// whatever the desktop theme. Text next to them always says the state in words too.
QColor lightColor(AndonLight light);
QColor breakerColor(BreakerState state);
QColor severityColor(Severity severity);
QColor faultColor();

// WCAG 2 contrast ratio between two colours (1 to 21); text needs at least 4.5.
double contrastRatio(const QColor& a, const QColor& b);
// Black or white, whichever reads better on `fill` (white on the status green is only 3.2:1).
QColor readableTextOn(const QColor& fill);

}  // namespace tai::ui
