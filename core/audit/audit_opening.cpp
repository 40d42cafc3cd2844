#include "audit/audit_opening.h"

#include "audit/audit_integrity.h"
#include "audit/audit_schema.h"
#include "audit/private_files.h"

#include <QFileInfo>

#include <spdlog/spdlog.h>

namespace tai {

namespace {

bool securePaths(const QString& path, QString* error) {
    const QFileInfo info(path);
    QString problem;
    if (info.exists() && info.size() == 0) {
        // Not a database that was never written: this one lost its pages (truncated), or it would
        // have a schema. Starting afresh on it would forget every key.
        *error = untrustedDatabaseMessage(
            path,
            QStringLiteral("the file exists but is empty (0 bytes), as if truncated; if this data dir is new "
                           "and nothing was ever stored, delete the file"));
        return false;
    }
    if (!ensurePrivateDirectory(info.absolutePath(), &problem)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, problem);
        return false;
    }
    // A fresh database is created here, 0600, before SQLite sees it.
    if (!ensurePrivateFile(path, true, &problem) ||
        !ensurePrivateFile(path + QStringLiteral("-wal"), false, &problem) ||
        !ensurePrivateFile(path + QStringLiteral("-shm"), false, &problem)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, problem);
        return false;
    }
    return true;
}

bool configure(SqliteConnection& db, bool inMemory, QString* error) {
    if (inMemory) {
        return true;  // no file to sync; the shared cache serves the other connections
    }
    // WAL lets readers and the key lookup run beside the writer; FULL fsyncs the WAL at every
    // commit, which is what "committed" means for an acknowledged payment.
    return db.exec("PRAGMA journal_mode=WAL", error) && db.exec("PRAGMA synchronous=FULL", error) &&
           db.exec("PRAGMA journal_size_limit=67108864", error);
}

}  // namespace

QString untrustedDatabaseMessage(const QString& path, const QString& problem) {
    const QString dir = QFileInfo(path).absolutePath();
    return QStringLiteral(
               "audit database %1 cannot be trusted: %2. Keyed payments are never served from a partial "
               "ledger, "
               "so nothing starts on it. Restore the file from a backup, or run `tai-console audit recover "
               "--data-dir %3` (or `tai-console --recover-audit --data-dir %3`) to copy what is readable to "
               "a new "
               "file and set the damaged one aside.")
        .arg(path, problem, dir);
}

OpenedAudit openAuditDatabase(const QString& name, const AuditStore::Options& options, QString* error) {
    const bool inMemory = isInMemoryName(name);
    if (!inMemory && !securePaths(name, error)) {
        return {};
    }
    QString problem;
    auto connection = SqliteConnection::open(name, SqliteConnection::Access::ReadWrite, &problem);
    if (!connection) {
        *error = QStringLiteral("cannot open %1: %2").arg(name, problem);
        return {};
    }
    const std::int64_t nowMs = options.nowMs ? options.nowMs() : 0;
    // The page size only takes on a database that has no pages yet.
    const QByteArray pageSize = "PRAGMA page_size=" + QByteArray::number(AuditSchema::kPageSize);
    connection->exec(pageSize.constData(), nullptr);
    const int version = AuditSchema::versionOf(*connection, &problem);
    if (version < 0) {
        *error = untrustedDatabaseMessage(name, problem);
        return {};
    }
    if (version > 0) {
        const IntegrityReport report =
            verifyAuditDatabase(*connection, name, version, options.fullIntegrityCheck, options.validateKey);
        if (!report.problem.isEmpty()) {
            *error = untrustedDatabaseMessage(name, report.problem);
            return {};
        }
        spdlog::info("audit store: {} verified ({} check, {} idempotency rows)", name.toStdString(),
                     options.fullIntegrityCheck ? "integrity" : "quick", report.keysChecked);
    }
    if (!configure(*connection, inMemory, &problem) ||
        !AuditSchema::migrate(*connection, version, nowMs, &problem)) {
        *error = QStringLiteral("cannot open %1: %2").arg(name, problem);
        return {};
    }
    AuditWriter::Settings settings;
    const std::int64_t memoryWindow =
        std::chrono::duration_cast<std::chrono::milliseconds>(options.memoryRetention).count();
    settings.eventRetentionMs = inMemory ? memoryWindow : options.retentionDays * 24LL * 3600 * 1000;
    settings.keyRetentionMs = inMemory ? memoryWindow : AuditStore::kKeyRetentionMs;
    settings.maxEvents = inMemory ? options.memoryMaxEvents : 0;
    settings.maxKeys = inMemory ? options.memoryMaxKeys : 0;
    settings.maintenanceBatch = inMemory ? 20'000 : 2'000;
    settings.injectFault = options.injectFault;
    OpenedAudit opened;
    opened.writer = AuditWriter::create(std::move(*connection), settings, &problem);
    if (opened.writer && options.nowMs && !opened.writer->maintain(nowMs, &problem)) {
        // Retention could not run before the first read; the writer retries it with its commits,
        // and health() reports the failure as it does for any other.
        spdlog::warn("audit store: retention at open failed: {}", problem.toStdString());
        problem.clear();
    }
    if (opened.writer) {
        opened.lookup = IdempotencyLookup::open(name, &problem);
    }
    if (!opened.writer || !opened.lookup) {
        *error = QStringLiteral("cannot open %1: %2").arg(name, problem);
        return {};
    }
    return opened;
}

}  // namespace tai
