#pragma once

#include "engine/event_journal.h"
#include "payments/payment_pipeline.h"

namespace tai {

// The payment pipeline's decisions, published to the event journal (§7): there they are audited,
// shown to a scenario's observer, and released once durable.
class JournalDecisions final : public DecisionJournal {
public:
    JournalDecisions(EventJournal& journal, const Clock& clock) : journal_(journal), clock_(clock) {}

    void record(const PaymentSignal& signal, const PaymentResponse& response, const IdempotencyRecord* key,
                std::function<void()> release) override {
        journal_.publish(EngineEvent{clock_.now(), DecisionEvent{&signal, &response, key, &release}});
    }
    bool durable() const override { return journal_.durable(); }

private:
    EventJournal& journal_;
    const Clock& clock_;
};

}  // namespace tai
