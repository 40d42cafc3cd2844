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

}  // namespace tai::ui
