#include "policy_loading.h"

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

}  // namespace tai::app
