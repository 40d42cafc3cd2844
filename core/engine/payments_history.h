#pragma once

#include "engine/engine_snapshot.h"
#include "payments/payment_pipeline.h"
#include "payments/payment_rates.h"

#include <deque>
#include <memory>

namespace tai {

// The payment system's Kaizen view (§11): an hour of one-second samples behind the charts, and
// the KPIs a snapshot shows (rates over the rolling window, throughput, latency percentiles,
// the Prometheus buckets). Engine thread.
class PaymentsHistory {
public:
    PaymentsHistory(PaymentPipeline& pipeline, const AndonConfig& andon, TimePoint startedAt);

    // Closes the second that just ended: its counts, latency and queue depths. Returns how many
    // payments the admission queue shed since the last call.
    std::uint64_t closeSecond(TimePoint now);

    // The rates of the rolling window, as of `now`.
    KpiRates rates(TimePoint now) const;
    // The latest complete second's p99, and whether there is one to judge (§11).
    std::optional<double> lastP99Ms() const;

    void fill(KpiView& kpis, TimePoint now) const;
    std::vector<KpiSample> recent() const;  // the last 300 s, oldest first
    std::shared_ptr<const std::vector<KpiSample>> hour() const { return hour_; }

private:
    PaymentPipeline& pipeline_;
    const AndonConfig& andon_;
    TimePoint startedAt_;
    std::deque<KpiSample> history_;
    std::shared_ptr<const std::vector<KpiSample>> hour_;
    std::uint64_t lastShed_ = 0;
};

}  // namespace tai
