#include "engine/engine_core.h"

#include "andon/andon_evaluator.h"
#include "deployments/deployment_orchestrator.h"
#include "kaizen/kpi_rates.h"
#include "kaizen/latency_buckets.h"
#include "sim/infra_simulator.h"
#include "sim/real_clock.h"

#include <algorithm>

// EngineCore's once-a-second history and its snapshots: what the console and the API read.
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

void EngineCore::closeSecond() {
    const auto second =
        std::chrono::floor<std::chrono::seconds>(clock_->now()).time_since_epoch().count() - 1;
    KpiSample sample;
    sample.second = second;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        sample.counts[static_cast<std::size_t>(i)] = pipeline_->metrics().window().at(second, i);
    }
    const LatencySummary latency = pipeline_->metrics().takeIntervalLatency();
    sample.p50Ms = latency.p50 / 1000.0;
    sample.p99Ms = latency.p99 / 1000.0;
    sample.admissionDepth = pipeline_->admissionCounters().depth;
    sample.confirmationDepth = pipeline_->confirmations().depth();
    history_.push_back(sample);
    while (history_.size() > kHistorySeconds) {
        history_.pop_front();
    }
    hourHistory_ = std::make_shared<const std::vector<KpiSample>>(history_.begin(), history_.end());
    const std::uint64_t shed = pipeline_->admissionCounters().shed;
    if (shed > lastShed_) {
        addTimeline(QStringLiteral("shed"), QStringLiteral("admission"),
                    QStringLiteral("shed %1 payments: admission queue full").arg(shed - lastShed_));
        lastShed_ = shed;
    }
}

void EngineCore::publishSnapshot() {
    if (!running_) {
        return;
    }
    auto snapshot = std::make_shared<EngineSnapshot>();
    const TimePoint now = clock_->now();
    snapshot->sequence = ++snapshotSequence_;
    snapshot->at = now;
    snapshot->virtualTime = ownedClock_ == nullptr;
    snapshot->policyVersion = config_.policy.version;
    snapshot->minSamples = config_.policy.andon.minSamples;

    const auto addBreaker = [this, &snapshot](const BreakerStatus& status) {
        BreakerView view;
        view.status = status;
        if (const auto found = transitions_.find(status.name); found != transitions_.end()) {
            view.recent.assign(found->second.begin(), found->second.end());
        }
        snapshot->breakers.push_back(std::move(view));
    };
    addBreaker(pipeline_->breaker().status());
    for (const BreakerStatus& status : deployments_->breakerStatuses()) {
        addBreaker(status);
    }
    snapshot->rollouts = deployments_->views();
    snapshot->infraFaults = infra_->activeFaults(now);

    snapshot->queues.push_back(QueueView{QStringLiteral("admission"), pipeline_->admissionCounters(),
                                         PaymentPipeline::kGatewayLanes, pipeline_->lanes().totalLoad()});
    snapshot->queues.push_back(
        QueueView{QStringLiteral("confirmation"), pipeline_->confirmations().counters(),
                  confirmationWorkers_->workerCount(), confirmationWorkers_->busyWorkers()});
    snapshot->tokenFill = pipeline_->tokenFill();
    snapshot->tokenBurst = pipeline_->config().gatewayBurst;
    snapshot->tokenRatePerS = pipeline_->config().gatewayRatePerS;
    for (int lane = 0; lane < pipeline_->lanes().lanes(); ++lane) {
        snapshot->laneLoad.push_back(pipeline_->lanes().load(lane));
    }
    snapshot->gatewayFault = gateway_.fault();
    snapshot->loadPerSecond = config_.load.paymentsPerSecond;
    if (burstActive()) {
        snapshot->burstPerSecond = burst_.profile().paymentsPerSecond;
        snapshot->burstSecondsLeft = toSeconds(burstUntil_ - now);
    }

    // Rates over the rolling window (§11); throughput over the last 5 complete seconds.
    const KaizenMetrics& metrics = pipeline_->metrics();
    KpiView& kpis = snapshot->kpis;
    const OutcomeCounts window = sumCounts(metrics.windowCounts(now, config_.policy.andon.rateWindowS));
    const KpiRates rates = computeRates(window, config_.policy.andon.minSamples);
    kpis.successRate = rates.success;
    kpis.rejectRate = rates.reject;
    kpis.errorRate = rates.error;
    // Throughput over the last (up to 5) complete seconds since start, never a partial one.
    const auto complete =
        std::chrono::floor<std::chrono::seconds>(now) - std::chrono::ceil<std::chrono::seconds>(startedAt_);
    const int seconds = static_cast<int>(std::clamp<std::int64_t>(complete.count(), 1, 5));
    std::uint64_t recent = 0;
    for (const auto n : metrics.windowCounts(now - 1s, seconds)) {
        recent += n;
    }
    kpis.throughputPerS = static_cast<double>(recent) / seconds;
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
    kpis.confirmed = confirmed_.load(std::memory_order_relaxed);
    const std::vector<std::uint64_t>& boundsMicros = latencyBucketBoundsMicros();
    const auto cumulative = metrics.latencyMicros().cumulativeCounts(boundsMicros);
    for (std::size_t i = 0; i < boundsMicros.size(); ++i) {
        kpis.latencyBuckets.emplace_back(static_cast<double>(boundsMicros[i]) / 1e6, cumulative[i]);
    }
    kpis.latencyCount = lifetime.count;
    for (const BreakerView& b : snapshot->breakers) {
        kpis.breakerTrips += b.status.trips;
    }
    kpis.rollbacks = rollbacks_;
    double mttrSum = 0;
    int mttrCount = 0;
    TimePoint newestCompletion;
    for (const RolloutView& r : snapshot->rollouts) {
        if (r.mttrS >= 0) {
            mttrSum += r.mttrS;
            ++mttrCount;
        }
        if (r.status == RolloutStatus::Completed) {
            ++kpis.deploymentsCompleted;
            if (const auto last = lastRolloutEvent_.find(r.id);
                last != lastRolloutEvent_.end() && last->second >= newestCompletion) {
                newestCompletion = last->second;
                kpis.lastDeploymentS = toSeconds(last->second - r.createdAt);
            }
        }
    }
    kpis.mttrS = mttrCount > 0 ? mttrSum / mttrCount : -1;
    kpis.latencySumSeconds = lifetime.sum / 1e6;

    AndonInputs andon;
    andon.rejectRate = {kpis.rejectRate.value, kpis.rejectRate.enoughData};
    andon.errorRate = {kpis.errorRate.value, kpis.errorRate.enoughData};
    andon.successRate = {kpis.successRate.value, kpis.successRate.enoughData};
    andon.p99Ms = kpis.p99Ms;
    andon.latencyKnown = !history_.empty() && kpis.rejectRate.enoughData;
    for (const BreakerView& b : snapshot->breakers) {
        // An automatic half-open is still not recovered: the alert holds until the breaker
        // closes, so a failed probe does not resolve and re-fire it every backoff. A half-open
        // an operator forced is their probe, not an outage.
        const bool recovering = b.status.state == BreakerState::HalfOpen && !b.status.forced;
        if (b.status.state == BreakerState::Open || recovering) {
            andon.openBreakers.push_back(b.status.name);
        }
    }
    // The conditions holding now go through the board's lifecycle (pending → firing → resolved);
    // only unsilenced firing alerts set the light.
    announce(andon_.update(evaluateAndon(andon, config_.policy.andon).alerts, now));
    snapshot->light = andon_.light(now, &snapshot->lightReason);
    snapshot->alerts = andon_.active(now);
    const auto& resolved = andon_.history();
    snapshot->alertHistory.assign(
        resolved.begin(),
        resolved.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(resolved.size(), 50)));
    snapshot->silences = andon_.silences(now);
    if (notifiers_) {
        snapshot->notifiers = notifiers_->status();
    }

    const std::size_t first =
        history_.size() > kSnapshotHistorySeconds ? history_.size() - kSnapshotHistorySeconds : 0;
    snapshot->history.assign(history_.begin() + static_cast<std::ptrdiff_t>(first), history_.end());
    snapshot->hourHistory = hourHistory_;
    snapshot->timeline.assign(timeline_.begin(), timeline_.end());
    Q_EMIT snapshotReady(std::move(snapshot));
}

}  // namespace tai
