#pragma once

#include "engine/engine_snapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace tai::ui {

class TimeSeriesChart;

// Kaizen: throughput, success and reject rates, and p50/p99 latency over the last 5 minutes (a
// point per second), 15 minutes or the hour (points averaged over 3 or 12 s), plus the rest of the
// seed's metric set in a line: breaker trips, rollbacks, deployment duration and MTTR.
class KaizenCharts : public QWidget {
    Q_OBJECT
public:
    explicit KaizenCharts(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    void setRangeMinutes(int minutes);  // 5, 15 or 60
    int rangeMinutes() const { return rangeMinutes_; }
    QString summaryText() const;
    TimeSeriesChart* throughputChart() const { return throughput_; }
    TimeSeriesChart* ratesChart() const { return rates_; }
    TimeSeriesChart* latencyChart() const { return latency_; }

private:
    void draw();

    TimeSeriesChart* throughput_;
    QComboBox* range_;
    QLabel* summary_;
    int rangeMinutes_ = 5;
    std::shared_ptr<const std::vector<KpiSample>> hour_;
    TimeSeriesChart* rates_;
    TimeSeriesChart* latency_;
    std::uint64_t lastSecond_ = 0;
};

}  // namespace tai::ui
