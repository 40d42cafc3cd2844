#pragma once

#include "engine/engine_command.h"

#include <QWidget>

class QDoubleSpinBox;
class QSpinBox;

namespace tai::ui {

// The burst generator: N payments/s for S seconds on top of the running load.
class BurstForm : public QWidget {
    Q_OBJECT
public:
    explicit BurstForm(QWidget* parent = nullptr);

Q_SIGNALS:
    void burstRequested(const tai::StartBurst& burst);

private:
    QSpinBox* rate_;
    QSpinBox* seconds_;
    QDoubleSpinBox* fraudsters_;
    QSpinBox* customers_;
};

}  // namespace tai::ui
