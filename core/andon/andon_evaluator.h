#pragma once

#include "andon/andon_config.h"
#include "andon/andon_types.h"

#include <vector>

namespace tai {

// One measured condition a reference system offers the Andon rules: its value, whether there is
// enough data to judge it (§11: a rate below min_samples never holds), and which side of the
// rule's threshold is the problem. The rule's threshold and severity come from the policy.
struct AndonMeasurement {
    enum class Unit { Ratio, Milliseconds };
    enum class Bad { Above, Below };

    QString system;   // the reference system that measured it
    QString rule;     // the policy rule that judges it: fraud_rate, p99_latency_ms, …
    QString subject;  // what it is about: "payments", "payment-gateway"
    QString label;    // in words: "fraud (reject) rate"
    double value = 0;
    bool known = false;
    Unit unit = Unit::Ratio;
    Bad bad = Bad::Above;
};

struct OpenBreaker {
    QString name;
    QString region;  // empty unless the breaker guards one region
    QString system;  // the reference system that owns it
};

// Inputs to the Andon rules, free of any one reference system.
struct AndonInputs {
    std::vector<OpenBreaker> openBreakers;
    std::vector<AndonMeasurement> measurements;
};

struct AndonVerdict {
    AndonLight light = AndonLight::Green;
    QString reason;  // in words: "payment-gateway breaker open", "all clear"
    std::vector<ActiveAlert> alerts;
};

// Evaluates the §11 rules against current conditions: the alerts whose condition holds now. The
// verdict's light is the worst severity (CRITICAL → RED, HIGH → YELLOW, none → GREEN) with no
// `for` durations; the AndonBoard adds the lifecycle on top and sets the real light.
AndonVerdict evaluateAndon(const AndonInputs& inputs, const AndonConfig& config);

}  // namespace tai
