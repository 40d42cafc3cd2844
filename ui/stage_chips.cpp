#include "stage_chips.h"

#include "status_colors.h"

#include <QPainter>
#include <QPainterPath>

namespace tai::ui {

namespace {
const QColor kDone(0x2e, 0xa0, 0x43);
const QColor kActive(0x3b, 0x82, 0xf6);
const QColor kBaking(0xe0, 0x9b, 0x12);
const QColor kRolledBack(0xd0, 0x31, 0x2d);
const QColor kIdle(0x9c, 0xa3, 0xaf);
}  // namespace

StageChips::StageChips(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void StageChips::showRegion(const RegionView& region, const QStringList& stages, const QList<int>& weights) {
    chips_.clear();
    const bool rolledBack = region.stage == u"rolled_back";
    const bool cancelled = region.stage == u"cancelled";
    const bool done = region.stage == u"done";
    for (int i = 0; i < stages.size(); ++i) {
        Chip chip{QStringLiteral("%1 %2%").arg(stages[i]).arg(weights.value(i)), kIdle, false};
        if (done || (region.stageIndex >= 0 && i < region.stageIndex)) {
            chip.color = kDone;
        } else if (i == region.stageIndex) {
            chip.color = region.baking ? kBaking : kActive;
            chip.current = true;
        }
        chips_.push_back(chip);
    }
    Chip last{done         ? QStringLiteral("done")
              : rolledBack ? QStringLiteral("rolled back")
              : cancelled  ? QStringLiteral("cancelled")
                           : QStringLiteral("done"),
              done         ? kDone
              : rolledBack ? kRolledBack
                           : kIdle,
              rolledBack};
    chips_.push_back(last);
    summary_ = region.stage;
    colors_.clear();
    for (const Chip& chip : chips_) {
        const QColor fill = chip.color.lighter(chip.current ? 100 : 125);
        colors_.push_back({fill, readableTextOn(fill)});
    }
    setAccessibleDescription(QStringLiteral("%1: %2").arg(region.region, region.stage));
    update();
}

void StageChips::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int n = static_cast<int>(chips_.size());
    if (n == 0) {
        return;
    }
    const int arrow = 12;
    const double width = (this->width() - arrow * (n - 1)) / static_cast<double>(n);
    QFont font = painter.font();
    font.setPixelSize(11);
    painter.setFont(font);
    for (int i = 0; i < n; ++i) {
        const Chip& chip = chips_[static_cast<std::size_t>(i)];
        const QRectF box(i * (width + arrow), 2, width, height() - 4);
        QPainterPath path;
        path.addRoundedRect(box, 6, 6);
        const QColor fill = chip.color.lighter(chip.current ? 100 : 125);
        painter.fillPath(path, fill);
        if (chip.current) {
            painter.setPen(QPen(chip.color.darker(150), 2));
            painter.drawPath(path);
        }
        // White on the light grey of a stage not yet reached was 1.5:1 (issue 17, item 8).
        painter.setPen(readableTextOn(fill));
        painter.drawText(
            box, Qt::AlignCenter,
            painter.fontMetrics().elidedText(chip.text, Qt::ElideRight, static_cast<int>(box.width()) - 4));
        if (i + 1 < n) {
            painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
            const double x = box.right() + 2;
            const double y = height() / 2.0;
            painter.drawLine(QPointF(x, y), QPointF(x + arrow - 4, y));
            painter.drawLine(QPointF(x + arrow - 4, y), QPointF(x + arrow - 8, y - 3));
            painter.drawLine(QPointF(x + arrow - 4, y), QPointF(x + arrow - 8, y + 3));
        }
    }
}

}  // namespace tai::ui
