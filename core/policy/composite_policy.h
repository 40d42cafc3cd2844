#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace tai {

// What a policy decided. Fired rules are a bitmask in rule order, so a decision is a plain value
// that costs no allocation; reasonsOf() turns it into reason codes.
struct PolicyDecision {
    int score = 0;
    bool rejected = false;
    std::uint32_t firedRules = 0;
};

// One independent rule of a CompositePolicy: given the subject, does it fire, and how much weight
// does it add? Rules know nothing of each other.
template <typename Subject>
class PolicyRule {
public:
    virtual ~PolicyRule() = default;
    virtual QString name() const = 0;    // "velocity"
    virtual QString reason() const = 0;  // "velocity_exceeded"
    virtual bool fires(const Subject& subject) const = 0;
    int weight = 0;
};

// Policy as Code: the sum of the weights of the rules that fire is the score; reject iff
// score >= rejectScore. Evaluation is a pure function of the subject.
template <typename Subject>
class CompositePolicy {
public:
    static constexpr int kMaxRules = 32;

    void addRule(std::unique_ptr<PolicyRule<Subject>> rule) {
        if (rules_.size() < kMaxRules) {
            rules_.push_back(std::move(rule));
        }
    }
    void setRejectScore(int score) { rejectScore_ = score; }
    int rejectScore() const { return rejectScore_; }

    PolicyDecision evaluate(const Subject& subject) const {
        PolicyDecision decision;
        for (std::size_t i = 0; i < rules_.size(); ++i) {
            if (rules_[i]->fires(subject)) {
                decision.score += rules_[i]->weight;
                decision.firedRules |= std::uint32_t{1} << i;
            }
        }
        decision.rejected = decision.score >= rejectScore_;
        return decision;
    }

    std::vector<QString> reasonsOf(const PolicyDecision& decision) const {
        std::vector<QString> reasons;
        for (std::size_t i = 0; i < rules_.size(); ++i) {
            if (decision.firedRules & (std::uint32_t{1} << i)) {
                reasons.push_back(rules_[i]->reason());
            }
        }
        return reasons;
    }

    std::size_t size() const { return rules_.size(); }
    const PolicyRule<Subject>& rule(std::size_t i) const { return *rules_[i]; }

private:
    std::vector<std::unique_ptr<PolicyRule<Subject>>> rules_;
    int rejectScore_ = 50;
};

}  // namespace tai
