#pragma once

#include "deployments/rollout_types.h"

#include <QWidget>

namespace tai::ui {

// The new version's health in one region: error rate (top) and p99 (bottom) per sample, with
// the rollback threshold drawn solid and the marginal threshold dashed.
class HealthSparkline : public QWidget {
    Q_OBJECT
public:
    explicit HealthSparkline(QWidget* parent = nullptr);

    void showHealth(const std::vector<HealthPoint>& health, double maxErrorRate, double marginalErrorRate,
                    double maxP99Ms, double marginalP99Ms);
    QSize sizeHint() const override { return {200, 46}; }
    QSize minimumSizeHint() const override { return {120, 44}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void drawLane(QPainter& painter, const QRectF& lane, const std::vector<double>& values, double max,
                  double marginal, const QColor& color, const QString& label);

    std::vector<HealthPoint> health_;
    double maxErrorRate_ = 0.05;
    double marginalErrorRate_ = 0.025;
    double maxP99_ = 1000;
    double marginalP99_ = 500;
};

}  // namespace tai::ui
