#pragma once

#include "kaizen/latency_histogram.h"
#include "kaizen/rolling_window.h"

#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace tai {

// Kaizen: outcome counters, a rolling per-second window behind every rate, and a latency
// histogram. Knows outcome names, not what they mean. One writer; readers take snapshots on the
// writer's thread (counters are atomics so a bench or exporter may also read them live).
class KaizenMetrics {
public:
    explicit KaizenMetrics(QStringList outcomeNames, int historySeconds = 3600);

    void record(int outcome, TimePoint at);
    void recordLatency(Duration latency) {
        latency_.record(static_cast<std::uint64_t>(latency.count()));
        interval_.record(static_cast<std::uint64_t>(latency.count()));
    }
    // Latency since the last call (for per-second chart history); resets the interval.
    LatencySummary takeIntervalLatency();

    std::uint64_t total(int outcome) const;
    std::uint64_t totalAll() const;
    std::vector<std::uint64_t> windowCounts(TimePoint now, int seconds) const {
        return window_.sum(now, seconds);
    }
    const RollingWindow& window() const { return window_; }
    const LatencyHistogram& latencyMicros() const { return latency_; }
    const QStringList& outcomeNames() const { return names_; }

private:
    QStringList names_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> totals_;
    RollingWindow window_;
    LatencyHistogram latency_;
    LatencyHistogram interval_;
};

}  // namespace tai
