#pragma once

#include "andon/andon_types.h"
#include "policy/policy_document.h"

#include <vector>

namespace tai {

// Inputs to the Andon rules, free of any one reference system: rates with their sample counts,
// a latency, and the breakers that are open.
struct AndonInputs {
    struct RateInput {
        double value = 0;
        bool enoughData = false;
    };
    RateInput rejectRate;
    RateInput errorRate;
    RateInput successRate;
    double p99Ms = 0;
    bool latencyKnown = false;
    std::vector<QString> openBreakers;
};

struct AndonVerdict {
    AndonLight light = AndonLight::Green;
    QString reason;  // in words: "payment-gateway breaker open", "all clear"
    std::vector<ActiveAlert> alerts;
};

// Evaluates the §11 rules against current conditions: the alerts whose condition holds now. A
// rate without enough samples never holds. The verdict's light is the worst severity (CRITICAL →
// RED, HIGH → YELLOW, none → GREEN) with no `for` durations; the engine's AndonBoard adds the
// lifecycle on top and sets the real light.
AndonVerdict evaluateAndon(const AndonInputs& inputs, const AndonConfig& config);

}  // namespace tai
