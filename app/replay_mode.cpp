#include "replay_mode.h"

#include "policy_loading.h"
#include "scenario/replay_runner.h"

#include <cstdio>

namespace tai::app {

int runReplayMode(const CliOptions& options) {
    const auto policy = loadPolicyOrReport(options.policyPath);
    if (!policy) {
        return 2;
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
    std::printf("audit_digest: %s\n", qPrintable(report.auditDigest));
    return 0;
}

}  // namespace tai::app
