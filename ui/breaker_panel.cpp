#include "breaker_panel.h"

#include "breaker_card.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace tai::ui {

BreakerPanel::BreakerPanel(QWidget* parent) : QGroupBox(QStringLiteral("Jidoka — circuit breakers"), parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(2, 2, 2, 2);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* inner = new QWidget(scroll);
    layout_ = new QVBoxLayout(inner);
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setSpacing(4);
    layout_->addStretch();
    scroll->setWidget(inner);
    outer->addWidget(scroll);
    setMinimumHeight(170);
}

void BreakerPanel::showSnapshot(const EngineSnapshot& snapshot) {
    for (const BreakerView& view : snapshot.breakers) {
        BreakerCard* card = cards_.value(view.status.name);
        if (card == nullptr) {
            card = new BreakerCard(view.status.name, view.system == u"deployments", this);
            connect(card, &BreakerCard::controlRequested, this, &BreakerPanel::controlRequested);
            layout_->insertWidget(layout_->count() - 1, card);
            cards_.insert(view.status.name, card);
        }
        card->showBreaker(view, snapshot.at);
    }
}

}  // namespace tai::ui
