#pragma once

#include "payments/customer_history.h"
#include "payments/payment_signal.h"
#include "payments/payments_config.h"
#include "policy/composite_policy.h"

namespace tai {

// What the fraud rules look at: the signal plus the customer's history at the signal's time.
struct FraudSubject {
    const PaymentSignal* signal = nullptr;
    bool trusted = false;
    int velocityCount = 0;
    int distinctCurrencies = 0;
};

// The §4.2 fraud policy: blacklist, velocity, amount and currency rules in a CompositePolicy.
// Rules read the signal's time, never the wall clock; same stream + same policy → same decisions.
class FraudPolicy {
public:
    explicit FraudPolicy(const PaymentsConfig& config);
    // A new policy version: new rules and thresholds, same customer history.
    void reconfigure(const PaymentsConfig& config);

    // Records the signal in the customer's history (this one included), then evaluates.
    PolicyDecision evaluate(const PaymentSignal& signal, TimePoint at);
    std::vector<QString> reasonsOf(const PolicyDecision& decision) const {
        return policy_.reasonsOf(decision);
    }

    const CompositePolicy<FraudSubject>& rules() const { return policy_; }
    std::size_t trackedCustomers() const { return history_.customers(); }

private:
    PaymentsConfig config_;
    CompositePolicy<FraudSubject> policy_;
    CustomerHistory history_;
};

// Reason codes in rule order, for turning stored firedRules masks back into text.
QString fraudReasonForRule(int index);

}  // namespace tai
