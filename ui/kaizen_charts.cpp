#include "kaizen_charts.h"

#include "time_series_chart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
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
    auto* top = new QHBoxLayout;
    summary_ = new QLabel(this);
    summary_->setTextFormat(Qt::PlainText);
    summary_->setWordWrap(true);
    summary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    summary_->setToolTip(
        QStringLiteral("The rest of the Kaizen metric set: breaker trips and rollbacks since start, "
                       "the newest completed deployment's duration, and the mean time to recovery "
                       "(detection to weight 0) over rollbacks."));
    range_ = new QComboBox(this);
    range_->addItem(QStringLiteral("last 5 min"), 5);
    range_->addItem(QStringLiteral("last 15 min"), 15);
    range_->addItem(QStringLiteral("last hour"), 60);
    range_->setAccessibleName(QStringLiteral("Chart time range"));
    top->addWidget(summary_, 1);
    top->addWidget(range_);
    layout->addLayout(top);
    connect(range_, &QComboBox::currentIndexChanged, this,
            [this](int index) { setRangeMinutes(range_->itemData(index).toInt()); });
    throughput_ = new TimeSeriesChart(QStringLiteral("Throughput"), kWindow, this);
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

void KaizenCharts::setRangeMinutes(int minutes) {
    rangeMinutes_ = minutes;
    const int unit = minutes > 5 ? 60 : 1;
    for (TimeSeriesChart* chart : {throughput_, rates_, latency_}) {
        chart->setWindow(minutes * 60, unit);
    }
    if (const int index = range_->findData(minutes); index >= 0 && index != range_->currentIndex()) {
        range_->setCurrentIndex(index);
    }
    draw();
}

QString KaizenCharts::summaryText() const {
    return summary_->text();
}

void KaizenCharts::showSnapshot(const EngineSnapshot& s) {
    const KpiView& k = s.kpis;
    summary_->setText(QStringLiteral("Breaker trips %1 · rollbacks %2 · last deployment %3 · MTTR %4")
                          .arg(k.breakerTrips)
                          .arg(k.rollbacks)
                          .arg(k.lastDeploymentS < 0
                                   ? QStringLiteral("n/a")
                                   : QString::number(k.lastDeploymentS / 60, 'f', 1) + QStringLiteral(" min"))
                          .arg(k.mttrS < 0 ? QStringLiteral("n/a, no rollback yet")
                                           : QString::number(k.mttrS, 'f', 1) + QStringLiteral(" s")));
    if (!s.hourHistory || s.hourHistory->empty() ||
        static_cast<std::uint64_t>(s.hourHistory->back().second) == lastSecond_) {
        return;  // history moves once a second: nothing new to draw
    }
    lastSecond_ = static_cast<std::uint64_t>(s.hourHistory->back().second);
    hour_ = s.hourHistory;
    draw();
}

void KaizenCharts::draw() {
    if (!hour_ || hour_->empty()) {
        return;
    }
    // Points of `bucket` seconds: counts summed (then per second), p50 averaged, p99 the worst.
    const int bucket = rangeMinutes_ <= 5 ? 1 : rangeMinutes_ <= 15 ? 3 : 12;
    const auto newest = hour_->back().second;
    const auto oldestWanted = newest - rangeMinutes_ * 60 + 1;
    std::vector<KpiSample> history;
    for (const KpiSample& k : *hour_) {
        if (k.second < oldestWanted) {
            continue;
        }
        const auto slot = (k.second - newest) / bucket;
        if (history.empty() || (history.back().second - newest) / bucket != slot) {
            history.push_back(k);
            continue;
        }
        KpiSample& into = history.back();
        for (std::size_t i = 0; i < into.counts.size(); ++i) {
            into.counts[i] += k.counts[i];
        }
        into.p50Ms = (into.p50Ms + k.p50Ms) / 2;
        into.p99Ms = std::max(into.p99Ms, k.p99Ms);
        into.second = k.second;
    }
    const double perSecond = 1.0 / bucket;
    const double unit = rangeMinutes_ > 5 ? 60.0 : 1.0;
    const auto fill = [&](TimeSeriesChart* chart, int series, auto valueOf) {
        QList<QPointF>& points = chart->buffer(series);
        points.resize(0);
        for (const KpiSample& sample : history) {
            if (const auto value = valueOf(sample); value >= 0) {
                points.append(QPointF(static_cast<double>(sample.second - newest) / unit, value));
            }
        }
    };
    using O = PaymentOutcome;
    fill(throughput_, 0, [perSecond](const KpiSample& k) {
        double total = 0;
        for (const auto n : k.counts) {
            total += static_cast<double>(n);
        }
        return total * perSecond;
    });
    fill(throughput_, 1,
         [perSecond](const KpiSample& k) { return static_cast<double>(count(k, O::Charged)) * perSecond; });
    fill(throughput_, 2, [perSecond](const KpiSample& k) {
        return static_cast<double>(count(k, O::GatewayError) + count(k, O::GatewayTimeout) +
                                   count(k, O::CircuitOpen) + count(k, O::QueueFull)) *
               perSecond;
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
    // Latency is often a few microseconds: in ms on a 0-2 axis it lay flat on zero (issue 17,
    // item 7). Below a millisecond the chart is in µs.
    double worst = 0;
    for (const KpiSample& sample : history) {
        worst = std::max(worst, sample.p99Ms);
    }
    const bool micro = worst < 1.0;
    const double scale = micro ? 1000.0 : 1.0;
    latency_->setSeriesName(0, micro ? QStringLiteral("p50 (µs)") : QStringLiteral("p50 (ms)"));
    latency_->setSeriesName(1, micro ? QStringLiteral("p99 (µs)") : QStringLiteral("p99 (ms)"));
    fill(latency_, 0, [scale](const KpiSample& k) { return k.p50Ms * scale; });
    fill(latency_, 1, [scale](const KpiSample& k) { return k.p99Ms * scale; });
    throughput_->commit(10);
    rates_->commit(100);
    latency_->commit(micro ? 1.0 : 0.1);
}

}  // namespace tai::ui
