#pragma once

#include "audit/audit_store.h"
#include "payments/payment_pipeline.h"

#include <functional>

namespace tai {

class EngineObserver;

// Makes every payment decision durable before its response goes out (§7): the decision row and
// the idempotency record are appended to the audit store, and the response is released on the
// engine thread once the group commit holding them is on disk.
class DurableJournal final : public DecisionJournal {
public:
    using Post = std::function<void(std::function<void()>)>;  // runs work on the engine thread

    DurableJournal(AuditStore& store, Post post, std::function<QString()> policyVersion, const Clock& clock)
        : store_(store), post_(std::move(post)), policyVersion_(std::move(policyVersion)), clock_(clock) {}

    void record(const PaymentSignal& signal, const PaymentResponse& response, const IdempotencyRecord* key,
                std::function<void()> release) override;

private:
    AuditStore& store_;
    Post post_;
    std::function<QString()> policyVersion_;
    const Clock& clock_;
};

// Shows every decision to an observer, then hands it to the durable journal when there is one, or
// releases the response at once (as the pipeline does without a journal).
class ObservedJournal final : public DecisionJournal {
public:
    ObservedJournal(EngineObserver& observer, DecisionJournal* next, const Clock& clock)
        : observer_(observer), next_(next), clock_(clock) {}

    void record(const PaymentSignal& signal, const PaymentResponse& response, const IdempotencyRecord* key,
                std::function<void()> release) override;

private:
    EngineObserver& observer_;
    DecisionJournal* next_;
    const Clock& clock_;
};

}  // namespace tai
