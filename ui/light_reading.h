#pragma once

#include "engine/engine_snapshot.h"

#include <QColor>
#include <QString>

namespace tai::ui {

// The overall light as an operator should read it. The light itself follows DESIGN.md §11 (the
// worst *unsilenced* firing alert), but a silenced CRITICAL is still an incident: the reason
// then says so instead of "All clear", and `ring` is the colour of the worst silenced alert that
// is worse than the light (invalid when there is none).
struct LightReading {
    QString reason;
    QColor ring;
    int silencedFiring = 0;
};

LightReading readLight(const EngineSnapshot& snapshot);

}  // namespace tai::ui
