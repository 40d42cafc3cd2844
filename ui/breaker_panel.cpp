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
    setMinimumHeight(110);
}

void BreakerPanel::showSnapshot(const EngineSnapshot& snapshot) {
    for (const BreakerView& view : snapshot.breakers) {
        BreakerCard* card = cards_.value(view.status.name);
        if (card == nullptr) {
            const bool compact = view.system == u"deployments";
            card = new BreakerCard(view.status.name, compact, this);
            connect(card, &BreakerCard::controlRequested, this, &BreakerPanel::controlRequested);
            // A full card goes below the other full ones, above every compact one, so the storage
            // breaker is on screen beside the gateway's, not under the regions.
            layout_->insertWidget(compact ? layout_->count() - 1 : fullCards_++, card);
            cards_.insert(view.status.name, card);
        }
        // The storage breaker opens on the audit store's commits: say what they fail with.
        const bool storageFailing = view.status.name == u"storage" && !snapshot.storage.ok;
        card->showBreaker(
            view, snapshot.at,
            storageFailing ? QStringLiteral("audit commits — ") + snapshot.storage.lastError : QString());
    }
}

}  // namespace tai::ui
