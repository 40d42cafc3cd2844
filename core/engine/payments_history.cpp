#include "engine/payments_history.h"

#include "kaizen/latency_buckets.h"

#include <algorithm>

namespace tai {

using namespace std::chrono_literals;

namespace {
constexpr std::size_t kHistorySeconds = 3600;
constexpr std::size_t kSnapshotHistorySeconds = 300;

OutcomeCounts sumCounts(const std::vector<std::uint64_t>& counts) {
    OutcomeCounts out{};
    for (std::size_t i = 0; i < out.size() && i < counts.size(); ++i) {
        out[i] = counts[i];
    }
    return out;
}
}  // namespace

PaymentsHistory::PaymentsHistory(PaymentPipeline& pipeline, const AndonConfig& andon, TimePoint startedAt)
    : pipeline_(pipeline), andon_(andon), startedAt_(startedAt) {}

std::uint64_t PaymentsHistory::closeSecond(TimePoint now) {
    const auto second = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count() - 1;
    KpiSample sample;
    sample.second = second;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        sample.counts[static_cast<std::size_t>(i)] = pipeline_.metrics().window().at(second, i);
    }
    const LatencySummary latency = pipeline_.metrics().takeIntervalLatency();
    sample.p50Ms = latency.p50 / 1000.0;
    sample.p99Ms = latency.p99 / 1000.0;
    sample.admissionDepth = pipeline_.admissionCounters().depth;
    sample.confirmationDepth = pipeline_.confirmations().depth();
    history_.push_back(sample);
    while (history_.size() > kHistorySeconds) {
        history_.pop_front();
    }
    hour_ = std::make_shared<const std::vector<KpiSample>>(history_.begin(), history_.end());
    const std::uint64_t shed = pipeline_.admissionCounters().shed;
    const std::uint64_t newlyShed = shed > lastShed_ ? shed - lastShed_ : 0;
    lastShed_ = shed;
    return newlyShed;
}

KpiRates PaymentsHistory::rates(TimePoint now) const {
    return computeRates(sumCounts(pipeline_.metrics().windowCounts(now, andon_.rateWindowS)),
                        andon_.minSamples);
}

std::optional<double> PaymentsHistory::lastP99Ms() const {
    return history_.empty() ? std::nullopt : std::optional<double>(history_.back().p99Ms);
}

void PaymentsHistory::fill(KpiView& kpis, TimePoint now) const {
    const KaizenMetrics& metrics = pipeline_.metrics();
    const KpiRates r = rates(now);
    kpis.successRate = r.success;
    kpis.rejectRate = r.reject;
    kpis.errorRate = r.error;
    // Throughput over the last (up to 5) complete seconds since start, never a partial one.
    const auto complete =
        std::chrono::floor<std::chrono::seconds>(now) - std::chrono::ceil<std::chrono::seconds>(startedAt_);
    const int seconds = static_cast<int>(std::clamp<std::int64_t>(complete.count(), 1, 5));
    std::uint64_t recentCount = 0;
    for (const auto n : metrics.windowCounts(now - 1s, seconds)) {
        recentCount += n;
    }
    kpis.throughputPerS = static_cast<double>(recentCount) / seconds;
    if (!history_.empty()) {
        kpis.p50Ms = history_.back().p50Ms;
        kpis.p99Ms = history_.back().p99Ms;
    }
    const LatencySummary lifetime = metrics.latencyMicros().summary();
    kpis.p999Ms = lifetime.p999 / 1000.0;
    kpis.maxMs = lifetime.max / 1000.0;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        kpis.totals[static_cast<std::size_t>(i)] = metrics.total(i);
        kpis.received += metrics.total(i);
    }
    const std::vector<std::uint64_t>& boundsMicros = latencyBucketBoundsMicros();
    const auto cumulative = metrics.latencyMicros().cumulativeCounts(boundsMicros);
    for (std::size_t i = 0; i < boundsMicros.size(); ++i) {
        kpis.latencyBuckets.emplace_back(static_cast<double>(boundsMicros[i]) / 1e6, cumulative[i]);
    }
    kpis.latencyCount = lifetime.count;
    kpis.latencySumSeconds = lifetime.sum / 1e6;
}

std::vector<KpiSample> PaymentsHistory::recent() const {
    const std::size_t first =
        history_.size() > kSnapshotHistorySeconds ? history_.size() - kSnapshotHistorySeconds : 0;
    return {history_.begin() + static_cast<std::ptrdiff_t>(first), history_.end()};
}

}  // namespace tai
