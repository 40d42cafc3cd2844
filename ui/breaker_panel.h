#pragma once

#include "engine/engine_command.h"
#include "engine/engine_snapshot.h"

#include <QGroupBox>
#include <QHash>

class QVBoxLayout;

namespace tai::ui {

class BreakerCard;

// One card per breaker in the snapshot, created as breakers appear.
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
};

}  // namespace tai::ui
