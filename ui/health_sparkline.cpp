#include "health_sparkline.h"

#include <QPainter>

#include <algorithm>

namespace tai::ui {

HealthSparkline::HealthSparkline(QWidget* parent) : QWidget(parent) {
    setToolTip(
        QStringLiteral("New-version health per sample. Top: error rate; bottom: p99 latency. Solid red line: "
                       "the rollback threshold (5 %, 1000 ms); dashed amber: marginal (2.5 %, 500 ms)."));
}

void HealthSparkline::showHealth(const std::vector<HealthPoint>& health, double maxErrorRate,
                                 double marginalErrorRate, double maxP99Ms, double marginalP99Ms) {
    health_ = health;
    maxErrorRate_ = maxErrorRate;
    marginalErrorRate_ = marginalErrorRate;
    maxP99_ = maxP99Ms;
    marginalP99_ = marginalP99Ms;
    if (!health.empty()) {
        setAccessibleDescription(QStringLiteral("error rate %1 %, p99 %2 ms")
                                     .arg(health.back().errorRate * 100, 0, 'f', 1)
                                     .arg(health.back().p99Ms, 0, 'f', 0));
    }
    update();
}

void HealthSparkline::drawLane(QPainter& painter, const QRectF& lane, const std::vector<double>& values,
                               double max, double marginal, const QColor& color, const QString& label) {
    // Scale so the rollback threshold sits at 2/3 of the lane height, unless values go higher.
    double top = max * 1.5;
    for (const double v : values) {
        top = std::max(top, v * 1.1);
    }
    const auto y = [&](double v) {
        return lane.bottom() - (v / top) * lane.height();
    };
    painter.setPen(QPen(QColor(0xd0, 0x31, 0x2d), 1));
    painter.drawLine(QPointF(lane.left(), y(max)), QPointF(lane.right(), y(max)));
    painter.setPen(QPen(QColor(0xe0, 0x9b, 0x12), 1, Qt::DashLine));
    painter.drawLine(QPointF(lane.left(), y(marginal)), QPointF(lane.right(), y(marginal)));
    if (values.size() >= 2) {
        QPolygonF line;
        const double step = lane.width() / static_cast<double>(std::max<std::size_t>(values.size() - 1, 1));
        for (std::size_t i = 0; i < values.size(); ++i) {
            line << QPointF(lane.left() + static_cast<double>(i) * step, y(values[i]));
        }
        painter.setPen(QPen(color, 1.5));
        painter.drawPolyline(line);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    QFont font = painter.font();
    font.setPixelSize(9);
    painter.setFont(font);
    painter.drawText(lane.adjusted(2, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop, label);
}

void HealthSparkline::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    std::vector<double> errors;
    std::vector<double> p99s;
    for (const HealthPoint& h : health_) {
        errors.push_back(h.errorRate);
        p99s.push_back(h.p99Ms);
    }
    const QRectF all = QRectF(rect()).adjusted(1, 1, -1, -1);
    const QRectF upper(all.left(), all.top(), all.width(), all.height() / 2 - 1);
    const QRectF lower(all.left(), all.top() + all.height() / 2 + 1, all.width(), all.height() / 2 - 1);
    const QString errorLabel = health_.empty()
                                   ? QStringLiteral("err –")
                                   : QStringLiteral("err %1%").arg(health_.back().errorRate * 100, 0, 'f', 1);
    const QString p99Label = health_.empty()
                                 ? QStringLiteral("p99 –")
                                 : QStringLiteral("p99 %1 ms").arg(health_.back().p99Ms, 0, 'f', 0);
    drawLane(painter, upper, errors, maxErrorRate_, marginalErrorRate_, QColor(0x93, 0x33, 0xea), errorLabel);
    drawLane(painter, lower, p99s, maxP99_, marginalP99_, QColor(0x3b, 0x82, 0xf6), p99Label);
}

}  // namespace tai::ui
