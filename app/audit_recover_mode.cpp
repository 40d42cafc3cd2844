#include "audit_recover_mode.h"

#include "api_hosting.h"
#include "audit/audit_recovery.h"
#include "engine/payment_key_rows.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <cstdio>

namespace tai::app {

int runAuditRecoverMode(const CliOptions& options) {
    const QString dir = resolveDataDir(options);
    const QString database = dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("audit.sqlite"));
    if (database.isEmpty() || !QFile::exists(database)) {
        std::fprintf(stderr, "tai-console: audit recover: no audit database at %s\n",
                     database.isEmpty() ? "(no data dir)" : qPrintable(database));
        return 1;
    }
    RecoveryOptions recovery;
    recovery.validateKey = validatePaymentKeyRow;
    recovery.keyFromDecision = paymentKeyFromDecision;
    recovery.nowMs = QDateTime::currentMSecsSinceEpoch();
    const RecoveryReport report = recoverAuditDatabase(database, recovery);
    if (!report.error.isEmpty()) {
        std::fprintf(stderr, "tai-console: audit recover: %s (nothing was changed)\n",
                     qPrintable(report.error));
        return 1;
    }
    std::printf("recovered %s into a new file:\n%s\n", qPrintable(database), qPrintable(report.summary()));
    return 0;
}

}  // namespace tai::app
