#pragma once

#include "engine/engine_snapshot.h"

#include <QWidget>

namespace tai::ui {

class TimeSeriesChart;

// Kaizen: the last 5 minutes of throughput, success and reject rates, and p50/p99 latency, one
// point per second from the snapshot's history.
class KaizenCharts : public QWidget {
    Q_OBJECT
public:
    explicit KaizenCharts(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    TimeSeriesChart* throughputChart() const { return throughput_; }
    TimeSeriesChart* ratesChart() const { return rates_; }
    TimeSeriesChart* latencyChart() const { return latency_; }

private:
    TimeSeriesChart* throughput_;
    TimeSeriesChart* rates_;
    TimeSeriesChart* latency_;
    std::uint64_t lastSecond_ = 0;
};

}  // namespace tai::ui
