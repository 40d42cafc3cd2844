#pragma once

#include "payments/gateway_simulator.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace tai::ui {

// Fault injection for the simulated payment gateway (§8): latency ± jitter, error rate,
// timeout rate, and a full outage.
class FaultPanel : public QWidget {
    Q_OBJECT
public:
    explicit FaultPanel(QWidget* parent = nullptr);

    void showActive(const GatewayFault& fault);
    GatewayFault edited() const;
    QCheckBox* outageBox() const { return outage_; }

Q_SIGNALS:
    void faultRequested(const tai::GatewayFault& fault);

private:
    QSpinBox* latency_;
    QSpinBox* jitter_;
    QDoubleSpinBox* errorRate_;
    QDoubleSpinBox* timeoutRate_;
    QCheckBox* outage_;
    QLabel* active_;
};

}  // namespace tai::ui
