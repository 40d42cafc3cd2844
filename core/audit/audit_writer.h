#pragma once

// Internal to the audit store: the writer thread's connection and its prepared statements.

#include "audit/audit_batch.h"
#include "audit/sqlite_connection.h"

#include <QHash>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace tai {

class AuditWriter {
public:
    struct Settings {
        std::int64_t eventRetentionMs = 0;
        std::int64_t keyRetentionMs = 0;
        std::int64_t maxEvents = 0;  // 0: no cap (a file); in memory the window is also capped by count
        std::int64_t maxKeys = 0;
        int maintenanceBatch = 2000;       // rows deleted per kind per pass: expiry never stalls commits
        std::function<int()> injectFault;  // test hook: an SQLite error code instead of the commit
    };

    static std::unique_ptr<AuditWriter> create(SqliteConnection connection, const Settings& settings,
                                               QString* error);

    // One transaction: the chunk's rows, keys and rollouts, and a bounded maintenance pass when
    // `maintenanceNowMs` is given. Nothing of it stays on failure; the caller retries the same chunk.
    bool commit(const Batch& batch, const Chunk& chunk, std::optional<std::int64_t> maintenanceNowMs,
                QString* error);
    // A maintenance pass in its own transaction, for when nothing else is being written.
    bool maintain(std::int64_t nowMs, QString* error);
    // Moves the WAL into the main file and truncates it (at a clean stop).
    void checkpoint() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)", nullptr); }
    // The last pass left expired rows behind (it deletes at most maintenanceBatch of each).
    bool maintenanceBacklog() const { return backlog_; }

private:
    AuditWriter(SqliteConnection connection, const Settings& settings);
    bool prepare(QString* error);
    bool insertRows(const Batch& batch, const Chunk& chunk, QString* error);
    bool maintenancePass(std::int64_t nowMs, QString* error);
    std::optional<std::int64_t> policyId(const QString& version, QString* error);
    bool finish(QString* error);
    void rollback();

    SqliteConnection db_;
    Settings settings_;
    std::int64_t nextSeq_ = 1;         // committed high-water + 1
    std::int64_t transactionSeq_ = 1;  // within the open transaction
    QHash<QString, std::int64_t> policies_;
    QString lastPolicy_;  // never empty when set: rows without a version bind NULL before asking
    std::int64_t lastPolicyId_ = 0;
    std::vector<QString> policiesThisTransaction_;  // forgotten again if it rolls back
    QByteArray utf8_[3];  // the event's text columns, converted for SQLite without a malloc per row
    bool backlog_ = false;
    bool backlogThisTransaction_ = false;

    SqliteStatement begin_, commit_, rollback_;
    SqliteStatement insertEvent_, insertKey_, upsertRollout_;
    SqliteStatement findPolicy_, insertPolicy_, upsertMinute_;
    SqliteStatement lowestSeq_, keepFromSeq_, recordFloor_, deleteEvents_, deleteMinutes_;
    SqliteStatement highestKeyRowid_, expireKeys_;
};

}  // namespace tai
