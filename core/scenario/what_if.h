#pragma once

#include "audit/audit_types.h"
#include "base/clock.h"
#include "scenario/replay_comparison.h"

#include <QByteArray>
#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace tai {

// Debrief → "What if…" (issue 15, build item 4): a finished training run as a replay input, so
// that `compareReplays` can run it under the run's policy and another.
//
// Every payment decision of the audit trail becomes a payment line with its fields, its idempotency
// key and its time. Its "sim" block is the answer the run's gateway simulator gives that payment
// (same seed, same id) under the gateway fault in force at that time, as the session's
// gateway.fault events (the scenario's and the trainee's) set it; so both replays meet the gateway
// the trainee met. The session's deploy events become deployment lines. Operator commands are not
// replayed: the comparison is of the policies, on the run's traffic.
struct WhatIfInput {
    QByteArray jsonl;
    int payments = 0;
    int deployments = 0;
    int skipped = 0;  // decisions without a payment to replay (an invalid request)
};

WhatIfInput whatIfInput(const std::vector<AuditRecord>& decisions, const QJsonObject& sessionFile,
                        std::uint64_t seed, TimePoint start);

class Engine;

struct WhatIfRun {
    QString error;  // empty: it ran
    int payments = 0;
    int deployments = 0;
    int skipped = 0;
    ReplayComparison comparison;
    std::vector<QJsonObject> differing;  // the first kWhatIfShown differing lines, as written
    QString diffPath;                    // every differing line, then the summary (JSONL)
};
constexpr int kWhatIfShown = 500;

// The whole "What if…": the run's decisions read from `engine`'s audit trail (blocking; call it
// off the GUI thread), the input written to `workDir`, and both replays compared there.
WhatIfRun runWhatIf(const Engine& engine, const QByteArray& sessionFile, std::uint64_t seed, TimePoint start,
                    const PolicyDocument& runPolicy, const PolicyDocument& other, const QString& workDir);

}  // namespace tai
