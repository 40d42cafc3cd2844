#include "kpi_summary.h"

namespace tai::app {

namespace {
QString percent(const Rate& rate) {
    if (!rate.enoughData) {
        return QStringLiteral("n/a (n=%1, not enough data)").arg(rate.samples);
    }
    return QStringLiteral("%1% (n=%2)").arg(rate.value * 100, 0, 'f', 2).arg(rate.samples);
}
}  // namespace

QString kpiSummaryLine(const EngineSnapshot& s) {
    const KpiView& k = s.kpis;
    const auto& breaker = s.breakers.at(0).status;
    const auto& admission = s.queues.at(0).counters;
    return QStringLiteral(
               "kpi: %1/s | success %2 | reject %3 | p50 %4 ms p99 %5 ms | breaker %6%7 | "
               "admission %8/%9 shed %10 | received %11 charged %12")
        .arg(k.throughputPerS, 0, 'f', 1)
        .arg(percent(k.successRate), percent(k.rejectRate))
        .arg(k.p50Ms, 0, 'f', 3)
        .arg(k.p99Ms, 0, 'f', 3)
        .arg(toString(breaker.state), breaker.forced ? QStringLiteral(" (forced)") : QString())
        .arg(admission.depth)
        .arg(admission.capacity)
        .arg(admission.shed)
        .arg(k.received)
        .arg(k.totals[static_cast<std::size_t>(PaymentOutcome::Charged)]);
}

}  // namespace tai::app
