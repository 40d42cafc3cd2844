#pragma once

#include "scenario/replay_runner.h"

namespace tai {

struct ReplayComparisonOptions {
    QString inputPath;
    QString outputPath;  // the differing lines, then one summary line (JSONL)
    PolicyDocument policy;
    PolicyDocument comparePolicy;
    std::uint64_t seed = 1;
};

struct ReplayComparison {
    bool ok = false;
    QString error;
    int lines = 0;
    int differing = 0;  // lines whose outcome, score, reasons, breaker state or rollout differ
    ReplayReport a;     // under `policy`
    ReplayReport b;     // under `comparePolicy`
};

// What-if replay (issue 15): the same input and seed under two policies. For every input line
// whose decision differs in outcome, score, reasons or breaker state (or, for a deployment, its
// decision and how its rollout ended), one line with both decisions:
//   {"line":N,"a":{…decision under policy…},"b":{…under comparePolicy…}}
// then a summary line: {"summary":{"a":{policy, counts, breaker_trips, breaker_trips_at_ms,
// rollbacks},"b":{…}}}. Identical policies give no differing line.
ReplayComparison compareReplays(const ReplayComparisonOptions& options);

}  // namespace tai
