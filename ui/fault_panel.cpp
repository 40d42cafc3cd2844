#include "fault_panel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace tai::ui {

FaultPanel::FaultPanel(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    latency_ = new QSpinBox(this);
    latency_->setRange(0, 600'000);
    latency_->setSuffix(QStringLiteral(" ms"));
    latency_->setAccessibleName(QStringLiteral("Gateway latency"));
    latency_->setToolTip(QStringLiteral("Base latency added to every gateway call."));
    jitter_ = new QSpinBox(this);
    jitter_->setRange(0, 600'000);
    jitter_->setSuffix(QStringLiteral(" ms"));
    jitter_->setAccessibleName(QStringLiteral("Gateway jitter"));
    jitter_->setToolTip(QStringLiteral("Latency varies uniformly by ± this much."));
    errorRate_ = new QDoubleSpinBox(this);
    errorRate_->setRange(0, 100);
    errorRate_->setSuffix(QStringLiteral(" %"));
    errorRate_->setAccessibleName(QStringLiteral("Gateway error rate"));
    errorRate_->setToolTip(QStringLiteral("Share of calls the gateway answers with an error."));
    timeoutRate_ = new QDoubleSpinBox(this);
    timeoutRate_->setRange(0, 100);
    timeoutRate_->setSuffix(QStringLiteral(" %"));
    timeoutRate_->setAccessibleName(QStringLiteral("Gateway timeout rate"));
    timeoutRate_->setToolTip(
        QStringLiteral("Share of calls that hang until the action timeout (30 s by default)."));
    outage_ = new QCheckBox(QStringLiteral("Outage: gateway down"), this);
    outage_->setObjectName(QStringLiteral("outage"));
    outage_->setAccessibleName(QStringLiteral("Gateway outage"));
    outage_->setToolTip(
        QStringLiteral("Every call fails at once, as with a refused connection (Ctrl+Shift+F toggles)."));
    auto* apply = new QPushButton(QStringLiteral("Apply fault"), this);
    apply->setObjectName(QStringLiteral("applyFault"));
    apply->setAccessibleName(QStringLiteral("Apply fault"));
    auto* clear = new QPushButton(QStringLiteral("Clear"), this);
    clear->setAccessibleName(QStringLiteral("Clear fault"));
    connect(apply, &QPushButton::clicked, this, [this] { Q_EMIT faultRequested(edited()); });
    connect(clear, &QPushButton::clicked, this, [this] {
        latency_->setValue(0);
        jitter_->setValue(0);
        errorRate_->setValue(0);
        timeoutRate_->setValue(0);
        outage_->setChecked(false);
        Q_EMIT faultRequested(GatewayFault{});
    });
    connect(outage_, &QCheckBox::toggled, this, [this] { Q_EMIT faultRequested(edited()); });
    active_ = new QLabel(this);
    active_->setWordWrap(true);
    form->addRow(QStringLiteral("Latency"), latency_);
    form->addRow(QStringLiteral("Jitter ±"), jitter_);
    form->addRow(QStringLiteral("Errors"), errorRate_);
    form->addRow(QStringLiteral("Timeouts"), timeoutRate_);
    form->addRow(outage_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(apply);
    buttons->addWidget(clear);
    form->addRow(buttons);
    form->addRow(QStringLiteral("Active"), active_);
}

GatewayFault FaultPanel::edited() const {
    return GatewayFault{latency_->value(), jitter_->value(), errorRate_->value() / 100.0,
                        timeoutRate_->value() / 100.0, outage_->isChecked()};
}

void FaultPanel::showActive(const GatewayFault& fault) {
    active_->setText(fault.describe());
    if (outage_->isChecked() != fault.down && !outage_->hasFocus()) {
        const QSignalBlocker block(
            outage_);  // reflect a fault set elsewhere (API, scenario) without re-sending it
        outage_->setChecked(fault.down);
    }
}

}  // namespace tai::ui
