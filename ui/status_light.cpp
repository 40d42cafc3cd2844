#include "status_light.h"

#include "status_colors.h"

#include <QFontMetrics>
#include <QPainter>

namespace tai::ui {

StatusLight::StatusLight(int diameter, QWidget* parent) : QWidget(parent), diameter_(diameter) {
    setFixedSize(diameter, diameter);
}

void StatusLight::setState(const QColor& color, const QString& word) {
    if (color == color_ && word == word_) {
        return;
    }
    color_ = color;
    word_ = word;
    setAccessibleDescription(word);
    update();
}

void StatusLight::setRing(const QColor& ring, const QString& why) {
    if (ring == ring_) {
        return;
    }
    ring_ = ring;
    setAccessibleDescription(ring.isValid() ? word_ + QStringLiteral(", ") + why : word_);
    update();
}

void StatusLight::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QRectF circle = QRectF(rect()).adjusted(2, 2, -2, -2);
    if (ring_.isValid()) {
        const double thickness = std::max(3.0, diameter_ / 12.0);
        painter.setPen(QPen(ring_, thickness, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(circle.adjusted(thickness / 2, thickness / 2, -thickness / 2, -thickness / 2));
        circle = circle.adjusted(thickness + 1, thickness + 1, -thickness - 1, -thickness - 1);
    }
    QRadialGradient glow(circle.center(), circle.width() / 2);
    glow.setColorAt(0, color_.lighter(130));
    glow.setColorAt(1, color_);
    painter.setBrush(glow);
    painter.setPen(QPen(color_.darker(140), 2));
    painter.drawEllipse(circle);
    QFont font = painter.font();
    font.setBold(true);
    // Largest size at which the word fits inside the circle with a margin.
    int pixels = diameter_ / 3;
    font.setPixelSize(pixels);
    while (pixels > 7 && QFontMetrics(font).horizontalAdvance(word_) > circle.width() * 0.78) {
        font.setPixelSize(--pixels);
    }
    painter.setFont(font);
    painter.setPen(readableTextOn(color_));
    painter.drawText(circle, Qt::AlignCenter, word_);
}

}  // namespace tai::ui
