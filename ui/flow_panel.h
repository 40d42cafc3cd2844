#pragma once

#include "engine/engine_snapshot.h"

#include <QGroupBox>

class QLabel;
class QProgressBar;

namespace tai::ui {

class TimeSeriesChart;

// Kanban and Heijunka at a glance: queue depths against capacity (gauges and a chart), work in
// progress, worker utilisation, the token bucket's fill and the shed count.
class FlowPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit FlowPanel(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    QString admissionText() const;

private:
    QProgressBar* gauge(const QString& name, const QString& tip);

    QProgressBar* admission_;
    QProgressBar* confirmation_;
    QProgressBar* tokens_;
    QProgressBar* workers_;
    QLabel* numbers_;
    TimeSeriesChart* depthChart_;
    std::int64_t lastSecond_ = 0;
};

}  // namespace tai::ui
