#include "kaizen/kaizen_metrics.h"

namespace tai {

KaizenMetrics::KaizenMetrics(QStringList outcomeNames, int historySeconds)
    : names_(std::move(outcomeNames)),
      totals_(std::make_unique<std::atomic<std::uint64_t>[]>(static_cast<std::size_t>(names_.size()))),
      window_(static_cast<int>(names_.size()), historySeconds) {}

void KaizenMetrics::record(int outcome, TimePoint at) {
    if (outcome < 0 || outcome >= names_.size()) {
        return;
    }
    totals_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
    window_.add(at, outcome);
}

std::uint64_t KaizenMetrics::total(int outcome) const {
    if (outcome < 0 || outcome >= names_.size()) {
        return 0;
    }
    return totals_[static_cast<std::size_t>(outcome)].load(std::memory_order_relaxed);
}

LatencySummary KaizenMetrics::takeIntervalLatency() {
    const LatencySummary summary = interval_.summary();
    interval_.reset();
    return summary;
}

std::uint64_t KaizenMetrics::totalAll() const {
    std::uint64_t sum = 0;
    for (int i = 0; i < names_.size(); ++i) {
        sum += total(i);
    }
    return sum;
}

}  // namespace tai
