#pragma once

#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <QGroupBox>
#include <QHash>

class QVBoxLayout;

namespace tai::ui {

class BreakerCard;

// One card per breaker in the snapshot, created as breakers appear: the system-wide breakers
// (payment-gateway, storage) as full cards on top, the regional ones compact below them.
class BreakerPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit BreakerPanel(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    BreakerCard* card(const QString& breaker) const { return cards_.value(breaker); }

Q_SIGNALS:
    void controlRequested(const QString& breaker, tai::BreakerControl control);

private:
    QVBoxLayout* layout_;
    QHash<QString, BreakerCard*> cards_;
    int fullCards_ = 0;
};

}  // namespace tai::ui
