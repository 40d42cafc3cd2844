#pragma once

#include "engine/engine_config.h"

namespace tai::app {

struct UiRun {
    double frameP99Ms = 0;
    double frameMaxMs = 0;
    int frames = 0;
    double engineSignalsPerS = 0;  // what the engine achieved meanwhile
    double guiThreadCpuPercent = 0;
};

// The console's main window on the offscreen platform, repainted at 30 Hz while a live engine
// (real clock, generated load, no audit trail) runs as fast as it can. A frame's time is how late
// its tick fired plus how long the repaint took, so a stalled event loop counts.
UiRun measureUiFrames(EngineConfig config, double seconds);

// Wall time from starting `tai-console` (offscreen, ephemeral) to its first painted frame.
// Negative when the child did not report one.
double measureStartupMs();

}  // namespace tai::app
