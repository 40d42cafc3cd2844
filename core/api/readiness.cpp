#include "api/readiness.h"

#include <algorithm>

namespace tai {

// Ready to take payments: running, and its audit trail commits (issue 14). A load balancer takes
// the instance out while the storage breaker is open, and the body says why.
HttpReply readiness(const SnapshotPtr& snapshot) {
    if (!snapshot) {
        return HttpReply::error(503, QStringLiteral("engine"), QStringLiteral("not running"));
    }
    const StorageView& storage = snapshot->storage;
    const auto breaker = std::find_if(snapshot->breakers.begin(), snapshot->breakers.end(),
                                      [](const BreakerView& b) { return b.status.name == u"storage"; });
    const bool open = breaker != snapshot->breakers.end() && breaker->status.state != BreakerState::Closed;
    if (storage.durable && (!storage.ok || open)) {
        HttpReply reply = HttpReply::error(
            503, QStringLiteral("storage"),
            storage.ok ? QStringLiteral("the storage breaker is %1; audit commits go through again")
                             .arg(toString(breaker->status.state))
                       : QStringLiteral("audit commits fail (%1 attempts, %2 rows waiting): %3")
                             .arg(storage.failedAttempts)
                             .arg(storage.pendingRows)
                             .arg(storage.lastError));
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
        return reply;
    }
    return HttpReply::json(200, R"({"status":"ready"})");
}

}  // namespace tai
