#include "flow_panel.h"

#include "time_series_chart.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace tai::ui {

FlowPanel::FlowPanel(QWidget* parent) : QGroupBox(QStringLiteral("Kanban and Heijunka — flow"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QGridLayout;
    form->setVerticalSpacing(4);
    admission_ =
        gauge(QStringLiteral("Admission queue"),
              QStringLiteral("Approved payments waiting for a gateway token, against the queue's capacity. "
                             "When it is full, new payments are shed (queue_full)."));
    confirmation_ =
        gauge(QStringLiteral("Confirmation queue"),
              QStringLiteral("Charged payments waiting for confirmation workers (receipt record, merchant "
                             "notification), against capacity."));
    tokens_ = gauge(
        QStringLiteral("Token bucket"),
        QStringLiteral("Heijunka leveling: tokens available for gateway calls (refills at the configured "
                       "rate, up to the burst)."));
    workers_ = gauge(QStringLiteral("Confirmation workers"),
                     QStringLiteral("Worker threads busy with confirmation work right now, of the pool."));
    // Two gauges a row: the panel must stay short enough to leave the timeline its rows.
    form->addWidget(new QLabel(QStringLiteral("Admission"), this), 0, 0);
    form->addWidget(admission_, 0, 1);
    form->addWidget(new QLabel(QStringLiteral("Confirmation"), this), 0, 2);
    form->addWidget(confirmation_, 0, 3);
    form->addWidget(new QLabel(QStringLiteral("Tokens"), this), 1, 0);
    form->addWidget(tokens_, 1, 1);
    form->addWidget(new QLabel(QStringLiteral("Workers"), this), 1, 2);
    form->addWidget(workers_, 1, 3);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    layout->addLayout(form);
    numbers_ = new QLabel(this);
    numbers_->setWordWrap(true);
    numbers_->setToolTip(
        QStringLiteral("WIP: gateway calls in flight. Shed: payments refused because the admission queue "
                       "was full. Lanes: in-flight calls per gateway lane (least-loaded dispatch)."));
    layout->addWidget(numbers_);
    depthChart_ = new TimeSeriesChart(QStringLiteral("Queue depth"), 300, this);
    depthChart_->addSeries(QStringLiteral("admission depth"), QColor(0x3b, 0x82, 0xf6));
    depthChart_->addSeries(QStringLiteral("confirmation depth"), QColor(0x93, 0x33, 0xea));
    depthChart_->setToolTip(
        QStringLiteral("Queue depths sampled once a second, on the same time axis as the Kaizen "
                       "charts (the last minute, growing to 5 minutes). Blue: admission queue; "
                       "purple: confirmation queue."));
    depthChart_->hideTimeLabels();
    depthChart_->hideLegend();  // the panel is short since the timeline got its rows
    depthChart_->setMinimumHeight(56);
    layout->addWidget(depthChart_, 1);
}

QProgressBar* FlowPanel::gauge(const QString& name, const QString& tip) {
    auto* bar = new QProgressBar(this);
    bar->setAccessibleName(name);
    bar->setToolTip(tip);
    bar->setTextVisible(true);
    return bar;
}

void FlowPanel::showSnapshot(const EngineSnapshot& s) {
    const auto set = [](QProgressBar* bar, std::uint64_t value, std::uint64_t maximum, const QString& text) {
        bar->setRange(0, static_cast<int>(std::min<std::uint64_t>(maximum, 1'000'000'000)));
        bar->setValue(static_cast<int>(std::min(value, maximum)));
        bar->setFormat(text);
    };
    const QueueView& admission = s.queues.at(0);
    const QueueView& confirmation = s.queues.at(1);
    set(admission_, admission.counters.depth, admission.counters.capacity,
        QStringLiteral("%1 / %2").arg(admission.counters.depth).arg(admission.counters.capacity));
    set(confirmation_, confirmation.counters.depth, confirmation.counters.capacity,
        QStringLiteral("%1 / %2").arg(confirmation.counters.depth).arg(confirmation.counters.capacity));
    set(tokens_, static_cast<std::uint64_t>(s.tokenFill), static_cast<std::uint64_t>(s.tokenBurst),
        QStringLiteral("%1 / %2").arg(s.tokenFill, 0, 'f', 0).arg(s.tokenBurst));
    set(workers_, static_cast<std::uint64_t>(confirmation.busyWorkers),
        static_cast<std::uint64_t>(confirmation.workers),
        QStringLiteral("%1 / %2").arg(confirmation.busyWorkers).arg(confirmation.workers));
    QStringList lanes;
    for (const int load : s.laneLoad) {
        lanes << QString::number(load);
    }
    numbers_->setText(QStringLiteral("WIP %1 · shed %2 · tokens refill %3/s · lanes [%4]")
                          .arg(admission.counters.inProgress)
                          .arg(admission.counters.shed)
                          .arg(s.tokenRatePerS)
                          .arg(lanes.join(QLatin1Char(' '))));
    if (s.history.empty() || s.history.back().second == lastSecond_) {
        return;
    }
    lastSecond_ = s.history.back().second;
    for (int series = 0; series < 2; ++series) {
        QList<QPointF>& points = depthChart_->buffer(series);
        points.resize(0);
        for (const KpiSample& sample : s.history) {
            points.append(
                QPointF(static_cast<double>(sample.second - lastSecond_),
                        static_cast<double>(series == 0 ? sample.admissionDepth : sample.confirmationDepth)));
        }
    }
    depthChart_->commit(10);
}

QString FlowPanel::admissionText() const {
    return admission_->format();
}

}  // namespace tai::ui
