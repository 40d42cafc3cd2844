#pragma once

#include "engine/policy_document.h"
#include "payments/payment_outcome.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>

namespace tai {

struct ReplayOptions {
    QString inputPath;
    QString outputPath;
    PolicyDocument policy;
    std::uint64_t seed = 1;
};

struct ReplayReport {
    bool ok = false;
    QString error;  // why the run could not happen (unreadable input, unwritable output)
    int lines = 0;
    std::array<std::uint64_t, kPaymentOutcomeCount> counts{};
    int breakerTransitions = 0;
    QString auditDigest;  // "sha256:<hex>" over decisions and breaker transitions
};

// The discrete-event replay of DESIGN.md §9.2, §9.3 and §12: one decisions line per input line,
// in input order, on a VirtualClock. Same input + same seed + same policy → byte-identical output.
ReplayReport runReplay(const ReplayOptions& options);

}  // namespace tai
