#include "time_series_chart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace tai::ui {

namespace {
double niceCeiling(double value) {
    if (value <= 0) {
        return 1;
    }
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (value <= step * magnitude) {
            return step * magnitude;
        }
    }
    return 10 * magnitude;
}
}  // namespace

TimeSeriesChart::TimeSeriesChart(const QString& title, int windowSeconds, QWidget* parent)
    : QChartView(parent) {
    // The legend names the series and the axis names the unit; a title row would cost height
    // the 800-pixel-high layout cannot spare. The title is the accessible name and tooltip.
    // The view's own chart: setChart() with a new one would release the default chart the
    // QChartView constructor made, and leak it (ASan found it in every widget suite).
    QChart* chart = this->chart();
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->legend()->setContentsMargins(0, 0, 0, 0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->setBackgroundRoundness(0);
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    window_ = windowSeconds;
    x_ = new QValueAxis(chart);
    x_->setRange(-60, 0);
    x_->setLabelFormat(QStringLiteral("%g s"));
    x_->setTickCount(4);
    y_ = new QValueAxis(chart);
    y_->setRange(0, 1);
    // Units live in the series names: an axis title would be elided at these heights.
    y_->setLabelFormat(QStringLiteral("%.4g"));
    y_->setTickCount(3);
    QFont small = x_->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    x_->setLabelsFont(small);
    y_->setLabelsFont(small);
    chart->addAxis(x_, Qt::AlignBottom);
    chart->addAxis(y_, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    // QChartView takes its minimum from the chart's (legend plus axes, about 86 px), which kept
    // the event timeline dock two rows high at 800 px; a short chart still reads.
    chart->setMinimumSize(QSizeF(80, 56));
    setMinimumHeight(56);
    setToolTip(title);
    setAccessibleName(title);
}

void TimeSeriesChart::setRightAxis(double minimumMax) {
    right_ = new QValueAxis(chart());
    right_->setLabelFormat(QStringLiteral("%.3g"));
    right_->setTickCount(3);
    right_->setLabelsFont(y_->labelsFont());
    right_->setRange(0, minimumMax);
    rightMinimumMax_ = minimumMax;
    chart()->addAxis(right_, Qt::AlignRight);
}

void TimeSeriesChart::hideLegend() {
    chart()->legend()->hide();
}

void TimeSeriesChart::hideTimeLabels() {
    x_->setLabelsVisible(false);
}

void TimeSeriesChart::setFixedLeftRange(double min, double max) {
    fixedLeft_ = std::make_pair(min, max);
    y_->setRange(min, max);
}

int TimeSeriesChart::addSeries(const QString& name, const QColor& color, bool rightAxis) {
    auto* series = new QLineSeries(chart());
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    chart()->addSeries(series);
    series->attachAxis(x_);
    series->attachAxis(rightAxis && right_ ? right_ : y_);
    series_ << series;
    onRight_ << (rightAxis && right_);
    buffers_ << QList<QPointF>();
    buffers_.last().reserve(3600);
    return static_cast<int>(series_.size()) - 1;
}

void TimeSeriesChart::commit(double minimumYMax) {
    double top = minimumYMax;
    double rightTop = rightMinimumMax_;
    double oldest = 0;
    for (qsizetype i = 0; i < series_.size(); ++i) {
        for (const QPointF& p : std::as_const(buffers_[i])) {
            (onRight_[i] ? rightTop : top) = std::max(onRight_[i] ? rightTop : top, p.y());
            oldest = std::min(oldest, p.x());
        }
        series_[i]->replace(buffers_[i]);
    }
    // Show at least the last minute, growing to the full window as history accumulates, so a
    // freshly started console does not squeeze its first seconds against the right edge.
    const double window = static_cast<double>(window_) / unit_;
    const double minimum = 60.0 / unit_;
    const double from = std::max(-window, std::min(-minimum, std::floor(oldest / minimum) * minimum));
    x_->setRange(from, 0);
    // Ticks on round steps counted back from now: a fixed tick count over "-1 .. 0 min" printed
    // "-1 min, 0 min, 0 min, 0 min" (issue 17, item 7).
    x_->setTickType(QValueAxis::TicksDynamic);
    x_->setTickAnchor(0);
    x_->setTickInterval(niceCeiling(-from / 4));
    if (!fixedLeft_) {
        y_->setRange(0, niceCeiling(top * 1.1));
    }
    if (right_) {
        right_->setRange(0, niceCeiling(rightTop * 1.1));
    }
}

void TimeSeriesChart::setWindow(int seconds, int unitSeconds) {
    window_ = seconds;
    unit_ = std::max(1, unitSeconds);
    x_->setLabelFormat(unit_ == 1 ? QStringLiteral("%g s") : QStringLiteral("%g min"));
}

void TimeSeriesChart::setSeriesName(int index, const QString& name) {
    if (series_.at(index)->name() != name) {
        series_.at(index)->setName(name);
    }
}

QString TimeSeriesChart::seriesName(int index) const {
    return series_.at(index)->name();
}

QStringList TimeSeriesChart::timeLabels() const {
    QStringList labels;
    const double step = x_->tickType() == QValueAxis::TicksDynamic
                            ? x_->tickInterval()
                            : (x_->max() - x_->min()) / std::max(1, x_->tickCount() - 1);
    const QByteArray format = x_->labelFormat().toUtf8();
    for (double at = x_->min(); at <= x_->max() + step / 1000 && step > 0; at += step) {
        labels << QString::asprintf(format.constData(), format.contains("%d") ? static_cast<int>(at) : at);
    }
    return labels;
}

int TimeSeriesChart::pointCount(int index) const {
    return static_cast<int>(series_.at(index)->count());
}
double TimeSeriesChart::yMax() const {
    return y_->max();
}

}  // namespace tai::ui
