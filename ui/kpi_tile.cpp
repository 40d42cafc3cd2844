#include "kpi_tile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace tai::ui {

KpiTile::KpiTile(const QString& title, const QString& explanation, QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    setToolTip(explanation);
    setAccessibleName(title);
    setAccessibleDescription(explanation);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    auto* heading = new QLabel(title, this);
    QFont small = heading->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    heading->setFont(small);
    value_ = new QLabel(QStringLiteral("–"), this);
    QFont big = value_->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    value_->setFont(big);
    detail_ = new QLabel(this);
    detail_->setFont(small);
    layout->addWidget(heading);
    layout->addWidget(value_);
    layout->addWidget(detail_);
    setMinimumWidth(96);
}

void KpiTile::setValue(const QString& value, const QString& detail, bool dimmed) {
    value_->setText(value);
    detail_->setText(detail);
    value_->setEnabled(!dimmed);
}

QString KpiTile::value() const {
    return value_->text();
}

}  // namespace tai::ui
