#include "audit/audit_writer.h"

#include "audit/audit_schema.h"
#include "audit/row_checksum.h"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

namespace tai {

AuditWriter::AuditWriter(SqliteConnection connection, const Settings& settings)
    : db_(std::move(connection)), settings_(settings) {}

std::unique_ptr<AuditWriter> AuditWriter::create(SqliteConnection connection, const Settings& settings,
                                                 QString* error) {
    std::unique_ptr<AuditWriter> writer(new AuditWriter(std::move(connection), settings));
    if (!writer->prepare(error)) {
        return nullptr;
    }
    // Sequences keep rising across restarts even when retention has emptied the table.
    const auto highest = writer->db_.queryInteger(
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM audit_events), 0), "
        "COALESCE((SELECT value FROM audit_meta WHERE name = 'seq_floor'), 0))",
        error);
    if (!highest) {
        return nullptr;
    }
    writer->nextSeq_ = *highest + 1;
    return writer;
}

bool AuditWriter::prepare(QString* error) {
    const auto make = [this, error](SqliteStatement& statement, const char* sql) {
        statement = db_.prepare(sql, error);
        return statement.valid();
    };
    return make(begin_, "BEGIN") && make(commit_, "COMMIT") && make(rollback_, "ROLLBACK") &&
           make(insertEvent_, AuditSchema::kInsertEvent) && make(insertKey_, AuditSchema::kInsertKey) &&
           make(upsertRollout_, "INSERT OR REPLACE INTO rollouts (id, status, state) VALUES (?, ?, ?)") &&
           make(findPolicy_, "SELECT id FROM policy_versions WHERE version = ?") &&
           make(insertPolicy_, "INSERT INTO policy_versions (version) VALUES (?)") &&
           make(
               upsertMinute_,
               "INSERT INTO audit_minutes (minute, first_seq, last_seq) VALUES (?, ?, ?) ON CONFLICT(minute) "
               "DO UPDATE SET first_seq = MIN(first_seq, excluded.first_seq), "
               "last_seq = MAX(last_seq, excluded.last_seq)") &&
           make(lowestSeq_, "SELECT MIN(seq) FROM audit_events") &&
           make(keepFromSeq_, "SELECT MIN(first_seq) FROM audit_minutes WHERE minute >= ?") &&
           make(recordFloor_, "INSERT OR REPLACE INTO audit_meta (name, value) VALUES ('seq_floor', ?)") &&
           make(deleteEvents_, "DELETE FROM audit_events WHERE seq < ?") &&
           make(deleteMinutes_, "DELETE FROM audit_minutes WHERE last_seq < ?") &&
           make(highestKeyRowid_, "SELECT MAX(rowid) FROM idempotency") &&
           make(expireKeys_,
                "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency ORDER BY rowid LIMIT "
                "?) "
                "AND (stored_at_ms <= ? OR rowid <= ?)");
}

bool AuditWriter::commit(const Batch& batch, const Chunk& chunk, std::optional<std::int64_t> maintenanceNowMs,
                         QString* error) {
    if (!begin_.run(error)) {
        return false;
    }
    transactionSeq_ = nextSeq_;
    policiesThisTransaction_.clear();
    backlogThisTransaction_ = backlog_;
    if (!insertRows(batch, chunk, error) ||
        (maintenanceNowMs && !maintenancePass(*maintenanceNowMs, error))) {
        rollback();
        return false;
    }
    return finish(error);
}

bool AuditWriter::maintain(std::int64_t nowMs, QString* error) {
    if (!begin_.run(error)) {
        return false;
    }
    transactionSeq_ = nextSeq_;
    policiesThisTransaction_.clear();
    backlogThisTransaction_ = backlog_;
    if (!maintenancePass(nowMs, error)) {
        rollback();
        return false;
    }
    return finish(error);
}

bool AuditWriter::finish(QString* error) {
    if (settings_.injectFault) {
        if (const int code = settings_.injectFault(); code != SQLITE_OK) {
            *error = QString::fromUtf8(sqlite3_errstr(code)) +
                     QStringLiteral(" (SQLite code %1, injected by the test hook)").arg(code);
            rollback();
            return false;
        }
    }
    if (!commit_.run(error)) {
        rollback();
        return false;
    }
    nextSeq_ = transactionSeq_;
    policiesThisTransaction_.clear();
    backlog_ = backlogThisTransaction_;
    return true;
}

void AuditWriter::rollback() {
    if (sqlite3_get_autocommit(db_.handle()) == 0) {  // a failed COMMIT may have ended it already
        rollback_.run(nullptr);
    }
    for (const QString& version : policiesThisTransaction_) {
        policies_.remove(version);
    }
    if (!policiesThisTransaction_.empty()) {
        lastPolicy_.clear();
    }
    policiesThisTransaction_.clear();
}

std::optional<std::int64_t> AuditWriter::policyId(const QString& version, QString* error) {
    if (version == lastPolicy_) {  // nearly every row carries the version the row before it did
        return lastPolicyId_;
    }
    if (const auto found = policies_.constFind(version); found != policies_.constEnd()) {
        return *found;
    }
    findPolicy_.bindText(1, version);
    std::optional<std::int64_t> id;
    if (findPolicy_.step() == SQLITE_ROW) {
        id = findPolicy_.integer(0);
    }
    findPolicy_.reset();
    if (!id) {
        insertPolicy_.bindText(1, version);
        if (!insertPolicy_.run(error)) {
            return std::nullopt;
        }
        id = sqlite3_last_insert_rowid(db_.handle());
        policiesThisTransaction_.push_back(version);
    }
    policies_.insert(version, *id);
    lastPolicy_ = version;
    lastPolicyId_ = *id;
    return id;
}

bool AuditWriter::insertRows(const Batch& batch, const Chunk& chunk, QString* error) {
    // Rows arrive in time order, so one chunk touches one or two minutes: track the current one and
    // write it out when the minute changes.
    std::optional<std::int64_t> minute;
    std::int64_t firstSeq = 0;
    std::int64_t lastSeq = 0;
    const auto flushMinute = [&] {
        if (!minute) {
            return true;
        }
        upsertMinute_.bind(1, *minute);
        upsertMinute_.bind(2, firstSeq);
        upsertMinute_.bind(3, lastSeq);
        return upsertMinute_.run(error);
    };
    for (std::size_t i = chunk.rowBegin; i < chunk.rowEnd; ++i) {
        const AuditRow& row = batch.rows[i];
        const std::int64_t seq = transactionSeq_++;
        insertEvent_.bind(1, seq);
        insertEvent_.bind(2, row.atMs);
        insertEvent_.bindText(3, row.traceId, utf8_[0]);
        insertEvent_.bindText(4, row.kind, utf8_[1]);
        insertEvent_.bindText(5, row.subject, utf8_[2]);
        insertEvent_.bindText(6, row.payload);
        if (row.policyVersion.isEmpty()) {
            insertEvent_.bindNull(7);
        } else {
            const auto policy = policyId(row.policyVersion, error);
            if (!policy) {
                return false;
            }
            insertEvent_.bind(7, *policy);
        }
        if (!insertEvent_.run(error)) {
            return false;
        }
        const std::int64_t rowMinute = minuteOf(row.atMs);
        if (minute != rowMinute) {
            if (!flushMinute()) {
                return false;
            }
            minute = rowMinute;
            firstSeq = seq;
        }
        lastSeq = seq;
    }
    if (!flushMinute()) {
        return false;
    }
    for (std::size_t w = chunk.writeBegin; w < chunk.writeEnd; ++w) {
        const PendingWrite& write = batch.writes[w];
        if (write.key) {
            const IdempotencyRow& key = *write.key;
            const QByteArray keyUtf8 = key.key.toUtf8();
            insertKey_.bindText(1, keyUtf8);
            insertKey_.bindBlob(2, key.canonicalHash);
            insertKey_.bindBlob(3, key.response);
            insertKey_.bind(4, key.storedAtMs);
            insertKey_.bind(5,
                            idempotencyRowChecksum(keyUtf8, key.canonicalHash, key.response, key.storedAtMs));
            if (!insertKey_.run(error)) {
                return false;
            }
        }
        if (write.rollout) {
            upsertRollout_.bindText(1, write.rollout->id);
            upsertRollout_.bindText(2, write.rollout->status);
            upsertRollout_.bindText(3, write.rollout->state);
            if (!upsertRollout_.run(error)) {
                return false;
            }
        }
    }
    return true;
}

bool AuditWriter::maintenancePass(std::int64_t nowMs, QString* error) {
    const std::int64_t batch = settings_.maintenanceBatch;
    // Events: everything before the first sequence of the oldest minute still kept goes.
    keepFromSeq_.bind(1, minuteOf(nowMs - settings_.eventRetentionMs));
    std::int64_t keepFrom = transactionSeq_;
    if (keepFromSeq_.step() == SQLITE_ROW && keepFromSeq_.type(0) == SQLITE_INTEGER) {
        keepFrom = keepFromSeq_.integer(0);
    }
    keepFromSeq_.reset();
    if (settings_.maxEvents > 0) {
        keepFrom = std::max(keepFrom, transactionSeq_ - settings_.maxEvents);
    }
    bool backlog = false;
    std::int64_t lowest = keepFrom;
    if (lowestSeq_.step() == SQLITE_ROW && lowestSeq_.type(0) == SQLITE_INTEGER) {
        lowest = lowestSeq_.integer(0);
    }
    lowestSeq_.reset();
    if (lowest < keepFrom) {
        const std::int64_t upTo = std::min(keepFrom, lowest + batch);
        recordFloor_.bind(1, transactionSeq_ - 1);
        deleteEvents_.bind(1, upTo);
        deleteMinutes_.bind(1, upTo);
        if (!recordFloor_.run(error) || !deleteEvents_.run(error) || !deleteMinutes_.run(error)) {
            return false;
        }
        backlog = upTo < keepFrom;
    }
    // Keys: rowid order is the order they were stored in, so the expired ones are at the front.
    std::int64_t capRowid = -1;
    if (settings_.maxKeys > 0) {
        if (highestKeyRowid_.step() == SQLITE_ROW && highestKeyRowid_.type(0) == SQLITE_INTEGER) {
            capRowid = highestKeyRowid_.integer(0) - settings_.maxKeys;
        }
        highestKeyRowid_.reset();
    }
    expireKeys_.bind(1, batch);
    expireKeys_.bind(2, nowMs - settings_.keyRetentionMs);
    expireKeys_.bind(3, capRowid);
    if (!expireKeys_.run(error)) {
        return false;
    }
    backlog = backlog || sqlite3_changes(db_.handle()) == batch;
    backlogThisTransaction_ = backlog;
    return true;
}

}  // namespace tai
