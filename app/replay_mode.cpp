#include "replay_mode.h"

#include "policy_loading.h"
#include "scenario/replay_comparison.h"

#include <cstdio>

namespace tai::app {

namespace {

void printCounts(const char* side, const PolicyDocument& policy, const ReplayReport& r) {
    std::printf("%s: policy %s\n", side, qPrintable(policy.version));
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        if (r.counts[static_cast<std::size_t>(i)] > 0) {
            std::printf("  %-22s %llu\n", qPrintable(toString(static_cast<PaymentOutcome>(i))),
                        static_cast<unsigned long long>(r.counts[static_cast<std::size_t>(i)]));
        }
    }
    std::printf("  breaker trips: %zu\n", r.breakerTripsAtMs.size());
    if (r.deployments > 0) {
        std::printf("  deployments: %d, rollbacks: %d\n", r.deployments, r.rollbacks);
    }
}

// replay --compare-policy: the same input and seed under both policies, and what differs.
int runWhatIf(const CliOptions& options, const PolicyDocument& policy) {
    const auto compare = loadPolicyOrReport(options.comparePolicyPath);
    if (!compare) {
        return 2;
    }
    ReplayComparisonOptions what;
    what.inputPath = options.input;
    what.outputPath = options.output;
    what.policy = policy;
    what.comparePolicy = *compare;
    what.seed = options.seed;
    const ReplayComparison result = compareReplays(what);
    if (!result.ok) {
        std::fprintf(stderr, "tai-console: replay failed: %s\n", qPrintable(result.error));
        return 1;
    }
    std::printf("replayed %d lines under two policies (seed %llu): %d lines differ\n", result.lines,
                static_cast<unsigned long long>(options.seed), result.differing);
    printCounts("a", policy, result.a);
    printCounts("b", *compare, result.b);
    return 0;
}

}  // namespace

int runReplayMode(const CliOptions& options) {
    const auto policy = loadPolicyOrReport(options.policyPath);
    if (!policy) {
        return 2;
    }
    if (!options.comparePolicyPath.isEmpty()) {
        return runWhatIf(options, *policy);
    }
    ReplayOptions replay;
    replay.inputPath = options.input;
    replay.outputPath = options.output;
    replay.policy = *policy;
    replay.seed = options.seed;
    const ReplayReport report = runReplay(replay);
    if (!report.ok) {
        std::fprintf(stderr, "tai-console: replay failed: %s\n", qPrintable(report.error));
        return 1;
    }
    std::printf("replayed %d lines with policy %s (seed %llu)\n", report.lines, qPrintable(policy->version),
                static_cast<unsigned long long>(options.seed));
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        if (report.counts[static_cast<std::size_t>(i)] > 0) {
            std::printf("  %-22s %llu\n", qPrintable(toString(static_cast<PaymentOutcome>(i))),
                        static_cast<unsigned long long>(report.counts[static_cast<std::size_t>(i)]));
        }
    }
    std::printf("breaker transitions: %d\n", report.breakerTransitions);
    if (report.deployments > 0) {
        std::printf("deployments: %d, rollbacks: %d\n", report.deployments, report.rollbacks);
    }
    std::printf("audit_digest: %s\n", qPrintable(report.auditDigest));
    return 0;
}

}  // namespace tai::app
