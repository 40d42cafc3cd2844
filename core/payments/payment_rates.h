#pragma once

#include "kaizen/rate.h"
#include "payments/payment_outcome.h"

namespace tai {

// Turns outcome counts over a window into the rates operators read (§11). Each rate carries its
// sample count and is marked "not enough data" below `minSamples`.
struct KpiRates {
    Rate success;  // charged ÷ approved payments that reached the line (charged, failed, shed, fast-failed)
    Rate reject;   // rejected ÷ policy decisions
    Rate error;    // gateway errors and timeouts ÷ gateway calls
};

KpiRates computeRates(const OutcomeCounts& counts, int minSamples);

}  // namespace tai
