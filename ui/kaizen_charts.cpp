#include "kaizen_charts.h"

#include "time_series_chart.h"

#include <QVBoxLayout>

namespace tai::ui {

namespace {
constexpr int kWindow = 300;
std::uint64_t count(const KpiSample& s, PaymentOutcome o) {
    return s.counts[static_cast<std::size_t>(o)];
}
}  // namespace

KaizenCharts::KaizenCharts(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    throughput_ = new TimeSeriesChart(QStringLiteral("Throughput (last 5 min)"), kWindow, this);
    throughput_->addSeries(QStringLiteral("decided/s"), QColor(0x3b, 0x82, 0xf6));
    throughput_->addSeries(QStringLiteral("charged/s"), QColor(0x2e, 0xa0, 0x43));
    throughput_->addSeries(QStringLiteral("failed/s"), QColor(0xd0, 0x31, 0x2d));
    throughput_->setToolTip(
        QStringLiteral("Payments per second: all decided, charged, and those that failed at the "
                       "gateway or fast at an open breaker."));
    rates_ = new TimeSeriesChart(QStringLiteral("Success and reject rates"), kWindow, this);
    rates_->setFixedLeftRange(0, 100);
    rates_->setRightAxis(5);
    rates_->addSeries(QStringLiteral("success % (left)"), QColor(0x2e, 0xa0, 0x43));
    rates_->addSeries(QStringLiteral("reject (fraud) % (right)"), QColor(0x93, 0x33, 0xea), true);
    rates_->setToolTip(
        QStringLiteral("Per second: charged ÷ approved payments (left axis, 0–100 %), and rejected ÷ policy "
                       "decisions (right axis, scaled; the Andon threshold is 2 %)."));
    latency_ = new TimeSeriesChart(QStringLiteral("Latency"), kWindow, this);
    latency_->addSeries(QStringLiteral("p50 (ms)"), QColor(0x3b, 0x82, 0xf6));
    latency_->addSeries(QStringLiteral("p99 (ms)"), QColor(0xe0, 0x9b, 0x12));
    latency_->setToolTip(QStringLiteral(
        "Time from receiving a payment to its answer, per second: median and 99th percentile."));
    layout->addWidget(throughput_);
    layout->addWidget(rates_);
    layout->addWidget(latency_);
}

void KaizenCharts::showSnapshot(const EngineSnapshot& s) {
    if (s.history.empty() || static_cast<std::uint64_t>(s.history.back().second) == lastSecond_) {
        return;  // history moves once a second: nothing new to draw
    }
    lastSecond_ = static_cast<std::uint64_t>(s.history.back().second);
    const auto newest = s.history.back().second;
    const auto fill = [&](TimeSeriesChart* chart, int series, auto valueOf) {
        QList<QPointF>& points = chart->buffer(series);
        points.resize(0);
        for (const KpiSample& sample : s.history) {
            if (const auto value = valueOf(sample); value >= 0) {
                points.append(QPointF(static_cast<double>(sample.second - newest), value));
            }
        }
    };
    using O = PaymentOutcome;
    fill(throughput_, 0, [](const KpiSample& k) {
        double total = 0;
        for (const auto n : k.counts) {
            total += static_cast<double>(n);
        }
        return total;
    });
    fill(throughput_, 1, [](const KpiSample& k) { return static_cast<double>(count(k, O::Charged)); });
    fill(throughput_, 2, [](const KpiSample& k) {
        return static_cast<double>(count(k, O::GatewayError) + count(k, O::GatewayTimeout) +
                                   count(k, O::CircuitOpen) + count(k, O::QueueFull));
    });
    // Rates: -1 leaves a second without enough approved payments out of the line.
    fill(rates_, 0, [](const KpiSample& k) {
        const auto approved = count(k, O::Charged) + count(k, O::GatewayError) + count(k, O::GatewayTimeout) +
                              count(k, O::CircuitOpen) + count(k, O::QueueFull);
        return approved == 0
                   ? -1.0
                   : 100.0 * static_cast<double>(count(k, O::Charged)) / static_cast<double>(approved);
    });
    fill(rates_, 1, [](const KpiSample& k) {
        const auto decided = count(k, O::Charged) + count(k, O::GatewayError) + count(k, O::GatewayTimeout) +
                             count(k, O::CircuitOpen) + count(k, O::QueueFull) + count(k, O::Rejected);
        return decided == 0
                   ? -1.0
                   : 100.0 * static_cast<double>(count(k, O::Rejected)) / static_cast<double>(decided);
    });
    fill(latency_, 0, [](const KpiSample& k) { return k.p50Ms; });
    fill(latency_, 1, [](const KpiSample& k) { return k.p99Ms; });
    throughput_->commit(10);
    rates_->commit(100);
    latency_->commit(1);
}

}  // namespace tai::ui
