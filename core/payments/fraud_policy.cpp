#include "payments/fraud_policy.h"

namespace tai {

namespace {

class BlacklistRule final : public PolicyRule<FraudSubject> {
public:
    explicit BlacklistRule(QSet<QString> list) : list_(std::move(list)) {}
    QString name() const override { return QStringLiteral("blacklist"); }
    QString reason() const override { return QStringLiteral("blacklisted"); }
    bool fires(const FraudSubject& s) const override { return list_.contains(s.signal->customerId); }

private:
    QSet<QString> list_;
};

class VelocityRule final : public PolicyRule<FraudSubject> {
public:
    explicit VelocityRule(int maxPerWindow) : max_(maxPerWindow) {}
    QString name() const override { return QStringLiteral("velocity"); }
    QString reason() const override { return QStringLiteral("velocity_exceeded"); }
    bool fires(const FraudSubject& s) const override { return !s.trusted && s.velocityCount > max_; }

private:
    int max_;
};

class AmountRule final : public PolicyRule<FraudSubject> {
public:
    explicit AmountRule(std::int64_t maxMinor) : max_(maxMinor) {}
    QString name() const override { return QStringLiteral("amount"); }
    QString reason() const override { return QStringLiteral("amount_exceeds_limit"); }
    bool fires(const FraudSubject& s) const override { return s.signal->amountMinor > max_; }

private:
    std::int64_t max_;
};

class CurrencyRule final : public PolicyRule<FraudSubject> {
public:
    explicit CurrencyRule(int maxDistinct) : max_(maxDistinct) {}
    QString name() const override { return QStringLiteral("currency"); }
    QString reason() const override { return QStringLiteral("currency_anomaly"); }
    bool fires(const FraudSubject& s) const override { return !s.trusted && s.distinctCurrencies > max_; }

private:
    int max_;
};

template <typename Rule, typename... Args>
std::unique_ptr<PolicyRule<FraudSubject>> makeRule(int weight, Args&&... args) {
    auto rule = std::make_unique<Rule>(std::forward<Args>(args)...);
    rule->weight = weight;
    return rule;
}

}  // namespace

QString fraudReasonForRule(int index) {
    static const QString reasons[] = {QStringLiteral("blacklisted"), QStringLiteral("velocity_exceeded"),
                                      QStringLiteral("amount_exceeds_limit"),
                                      QStringLiteral("currency_anomaly")};
    return index >= 0 && index < 4 ? reasons[index] : QString();
}

FraudPolicy::FraudPolicy(const PaymentsConfig& config) {
    reconfigure(config);
}

void FraudPolicy::reconfigure(const PaymentsConfig& config) {
    config_ = config;
    policy_ = CompositePolicy<FraudSubject>();
    // Order matters: it is the order of reasons in every decision (§4.2 table order).
    policy_.addRule(makeRule<BlacklistRule>(config.blacklistWeight, config.blacklist));
    policy_.addRule(makeRule<VelocityRule>(config.velocityWeight, config.velocityMaxPerWindow));
    policy_.addRule(makeRule<AmountRule>(config.amountWeight, config.amountMaxMinor));
    policy_.addRule(makeRule<CurrencyRule>(config.currencyWeight, config.currencyMaxDistinct));
    policy_.setRejectScore(config.rejectScore);
    history_.configure(config.velocityMaxPerWindow, std::chrono::seconds(config.velocityWindowS),
                       config.currencyMaxDistinct, std::chrono::seconds(config.currencyWindowS));
}

PolicyDecision FraudPolicy::evaluate(const PaymentSignal& signal, TimePoint at) {
    const auto counts = history_.record(signal.customerId, signal.currency, at);
    FraudSubject subject{&signal, config_.trustedCustomers.contains(signal.customerId),
                         counts.inVelocityWindow, counts.distinctCurrencies};
    return policy_.evaluate(subject);
}

}  // namespace tai
