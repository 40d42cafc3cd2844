#include "burst_form.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSpinBox>

namespace tai::ui {

BurstForm::BurstForm(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    rate_ = new QSpinBox(this);
    rate_->setRange(1, 2'000'000);
    rate_->setValue(2000);
    rate_->setSuffix(QStringLiteral(" /s"));
    rate_->setAccessibleName(QStringLiteral("Burst rate"));
    rate_->setToolTip(QStringLiteral("Extra payments per second on top of the running load."));
    seconds_ = new QSpinBox(this);
    seconds_->setRange(1, 3600);
    seconds_->setValue(20);
    seconds_->setSuffix(QStringLiteral(" s"));
    seconds_->setAccessibleName(QStringLiteral("Burst duration"));
    seconds_->setToolTip(QStringLiteral("How long the burst lasts."));
    fraudsters_ = new QDoubleSpinBox(this);
    fraudsters_->setRange(0, 100);
    fraudsters_->setValue(1);
    fraudsters_->setSuffix(QStringLiteral(" %"));
    fraudsters_->setAccessibleName(QStringLiteral("Fraudster share"));
    fraudsters_->setToolTip(
        QStringLiteral("Share of burst payments from blacklisted customers or over the amount limit."));
    customers_ = new QSpinBox(this);
    customers_->setRange(1, 10'000'000);
    customers_->setValue(500);
    customers_->setAccessibleName(QStringLiteral("Customer pool"));
    customers_->setToolTip(
        QStringLiteral("Distinct customers the burst draws from (widened to 30 s of traffic so that "
                       "legitimate customers stay under the velocity limit)."));
    auto* start = new QPushButton(QStringLiteral("Start burst"), this);
    start->setObjectName(QStringLiteral("startBurst"));
    start->setAccessibleName(QStringLiteral("Start burst"));
    connect(start, &QPushButton::clicked, this, [this] {
        Q_EMIT burstRequested(StartBurst{
            rate_->value(), seconds_->value(), fraudsters_->value() / 100.0, customers_->value(), {}});
    });
    form->addRow(QStringLiteral("Rate"), rate_);
    form->addRow(QStringLiteral("Duration"), seconds_);
    form->addRow(QStringLiteral("Fraudsters"), fraudsters_);
    form->addRow(QStringLiteral("Customers"), customers_);
    form->addRow(start);
}

}  // namespace tai::ui
