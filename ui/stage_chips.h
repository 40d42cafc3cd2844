#pragma once

#include "deployments/rollout_types.h"

#include <QWidget>

#include <utility>
#include <vector>

namespace tai::ui {

// One region's path as chips: canary 5 % → staging 25 % → prod 100 % → done. Finished chips are
// green, the running one is blue (amber while baking), a rolled-back region shows red and a
// cancelled one grey.
class StageChips : public QWidget {
    Q_OBJECT
public:
    explicit StageChips(QWidget* parent = nullptr);

    void showRegion(const RegionView& region, const QStringList& stages, const QList<int>& weights);
    QString summary() const { return summary_; }
    // Each chip's fill and text colour, as painted.
    const std::vector<std::pair<QColor, QColor>>& chipColors() const { return colors_; }
    QSize sizeHint() const override { return {420, 26}; }
    QSize minimumSizeHint() const override { return {280, 26}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Chip {
        QString text;
        QColor color;
        bool current = false;
    };
    std::vector<Chip> chips_;
    std::vector<std::pair<QColor, QColor>> colors_;
    QString summary_;
};

}  // namespace tai::ui
