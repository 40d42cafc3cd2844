#include "policy_loading.h"

#include "api_hosting.h"

#include <cstdio>

namespace tai::app {

std::optional<PolicyDocument> loadPolicyOrReport(const QString& path) {
    if (path.isEmpty()) {
        return PolicyDocument{};
    }
    const PolicyLoadResult loaded = loadPolicyFile(path);
    if (!loaded.ok()) {
        for (const QString& error : loaded.errors) {
            std::fprintf(stderr, "tai-console: policy error: %s\n", qPrintable(error));
        }
        return std::nullopt;
    }
    return loaded.policy;
}

std::optional<EngineConfig> engineConfigFor(const CliOptions& options) {
    const auto policy = loadPolicyOrReport(options.policyPath);
    if (!policy) {
        return std::nullopt;
    }
    EngineConfig config;
    config.policy = *policy;
    config.seed = options.seed;
    config.load.paymentsPerSecond = options.loadPerSecond;
    config.auditDatabase = auditDatabaseFor(options);
    config.retentionDays = options.retentionDays;
    config.alertWebhook = QUrl(options.alertWebhook);
    config.alertmanager = QUrl(options.alertmanager);
    config.traceSampler = options.traceSampler;
    config.traceCapacity = static_cast<std::size_t>(options.traceCapacity);
    config.otlpFile = options.otlpFile;
    config.otlpEndpoint = QUrl(options.otlpEndpoint);
    config.gatewayUrl = options.gatewayUrl;
    return config;
}

}  // namespace tai::app
