#include "audit_export_mode.h"

#include "api_hosting.h"
#include "audit/audit_store.h"
#include "base/rfc3339.h"

#include <QFile>

#include <cstdio>

namespace tai::app {

int runAuditExportMode(const CliOptions& options) {
    const auto database = auditDatabaseFor(options);
    if (!database || !QFile::exists(*database)) {
        std::fprintf(stderr, "tai-console: no audit database at %s\n",
                     database ? qPrintable(*database) : "(none)");
        return 1;
    }
    AuditQuery query;
    query.kinds = options.kinds;
    query.subject = options.subject;
    query.traceId = options.traceId;
    for (const auto& [text, target, name] :
         {std::tuple{options.from, &query.fromMs, "--from"}, std::tuple{options.to, &query.toMs, "--to"}}) {
        if (!text.isEmpty()) {
            const auto at = parseRfc3339(text);
            if (!at) {
                std::fprintf(stderr,
                             "tai-console: %s: expected an RFC 3339 date-time like 2026-11-26T10:00:00Z\n",
                             name);
                return 2;
            }
            *target = toEpochMs(*at);
        }
    }
    QString error;
    auto store = AuditStore::open(AuditStore::Options{*database, 36500, {}}, &error);
    if (!store) {
        std::fprintf(stderr, "tai-console: %s\n", qPrintable(error));
        return 1;
    }
    const std::int64_t written = store->exportTo(query, options.format, options.output, &error);
    if (written < 0) {
        std::fprintf(stderr, "tai-console: export failed: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("exported %lld audit events to %s (%s)\n", static_cast<long long>(written),
                qPrintable(options.output), qPrintable(options.format));
    return 0;
}

}  // namespace tai::app
