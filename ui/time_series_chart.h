#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>

#include <optional>
#include <utility>

class QLineSeries;
class QValueAxis;

namespace tai::ui {

// A small line chart over the last `windowSeconds` seconds (x from -window to 0, "seconds ago").
// Series are replaced wholesale from reused buffers (QXYSeries::replace), never appended to.
class TimeSeriesChart : public QChartView {
    Q_OBJECT
public:
    TimeSeriesChart(const QString& title, int windowSeconds, QWidget* parent = nullptr);

    // A series on the right-hand axis has its own scale (for a small rate next to a large one).
    int addSeries(const QString& name, const QColor& color, bool rightAxis = false);
    void setRightAxis(double minimumMax);
    // Fixes the left axis range instead of scaling it to the data.
    void setFixedLeftRange(double min, double max);
    // For a short chart beside others on the same time axis: keeps the grid, drops the labels.
    void hideTimeLabels();
    // For a chart too short for a legend row: the tooltip names the series instead.
    void hideLegend();
    // The time axis: `seconds` of history, labelled in `unitSeconds` (1: "s", 60: "min").
    void setWindow(int seconds, int unitSeconds);
    // Buffer for series `index`: fill it, then call commit().
    QList<QPointF>& buffer(int index) { return buffers_[index]; }
    void commit(double minimumYMax);
    int pointCount(int index) const;
    double yMax() const;
    void setSeriesName(int index, const QString& name);
    QString seriesName(int index) const;
    // The time axis's labels as drawn, oldest first ("-15 min" … "0 min").
    QStringList timeLabels() const;

private:
    QList<QLineSeries*> series_;
    QList<bool> onRight_;
    QValueAxis* right_ = nullptr;
    double rightMinimumMax_ = 1;
    std::optional<std::pair<double, double>> fixedLeft_;
    QList<QList<QPointF>> buffers_;
    int window_ = 300;
    int unit_ = 1;
    QValueAxis* x_;
    QValueAxis* y_;
};

}  // namespace tai::ui
