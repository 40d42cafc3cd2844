#pragma once

#include "fleet/fleet_snapshot.h"
#include "fleet/fleet_view.h"

#include <chrono>
#include <deque>
#include <map>

namespace tai::fleet {

// Folds snapshots into FleetViews. Pure: time is given, never read, so the merge rules are tested
// with tables and no server (tests/core/tst_fleet_view.cpp). Not thread-safe; FleetClient keeps
// one on its own thread.
class FleetViewBuilder {
public:
    struct Options {
        std::chrono::milliseconds interval{500};   // how often instances publish
        int silentIntervals = 3;                   // silent this long: not reporting
        std::chrono::milliseconds window{10'000};  // rates and latency percentiles
        std::size_t maxInstances = 1024;
    };

    FleetViewBuilder();
    explicit FleetViewBuilder(Options options);

    // False when the snapshot is ignored: an old or repeated one, or one instance too many.
    bool add(const FleetSnapshot& snapshot, std::int64_t receivedAtMs);
    FleetView build(std::int64_t nowMs) const;

private:
    struct Sample {
        std::int64_t atMs = 0;
        std::map<QString, std::uint64_t> totals;  // restart-corrected
    };
    struct Track {
        FleetSnapshot last;
        std::int64_t lastSeenMs = 0;
        std::map<QString, std::uint64_t> raw;      // the counters as last reported
        std::map<QString, std::uint64_t> carried;  // what earlier runs of the counters reached
        std::deque<Sample> samples;
        std::deque<std::pair<std::int64_t, SparseLatencyHistogram>> latency;
    };

    bool reporting(const Track& track, std::int64_t nowMs) const;
    std::map<QString, std::uint64_t> totals(const Track& track) const;

    Options options_;
    std::map<QString, Track> tracks_;
};

}  // namespace tai::fleet
