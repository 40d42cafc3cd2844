#include "breaker_panel.h"

#include "breaker_card.h"

#include <QVBoxLayout>

namespace tai::ui {

BreakerPanel::BreakerPanel(QWidget* parent) : QGroupBox(QStringLiteral("Jidoka — circuit breakers"), parent) {
    layout_ = new QVBoxLayout(this);
    layout_->addStretch();
}

void BreakerPanel::showSnapshot(const EngineSnapshot& snapshot) {
    for (const BreakerView& view : snapshot.breakers) {
        BreakerCard* card = cards_.value(view.status.name);
        if (card == nullptr) {
            card = new BreakerCard(view.status.name, this);
            connect(card, &BreakerCard::controlRequested, this, &BreakerPanel::controlRequested);
            layout_->insertWidget(layout_->count() - 1, card);
            cards_.insert(view.status.name, card);
        }
        card->showBreaker(view, snapshot.at);
    }
}

}  // namespace tai::ui
