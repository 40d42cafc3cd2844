#pragma once

// Internal to recovery: the new file a recovery writes, with the current schema.

#include "audit/audit_schema.h"
#include "audit/audit_types.h"
#include "audit/sqlite_connection.h"

#include <sqlite3.h>

#include <QHash>

#include <map>
#include <optional>

namespace tai {

// Everything the copy needs on the new file's side.
class RecoveryTarget {
public:
    bool open(const QString& path, std::int64_t nowMs, QString* error) {
        auto db = SqliteConnection::open(path, SqliteConnection::Access::ReadWrite, error);
        if (!db) {
            return false;
        }
        db_.emplace(std::move(*db));
        const QByteArray pageSize = "PRAGMA page_size=" + QByteArray::number(AuditSchema::kPageSize);
        db_->exec(pageSize.constData(), nullptr);
        AuditSchema::registerChecksumFunction(*db_);
        if (!AuditSchema::migrate(*db_, 0, nowMs, error) || !db_->exec("PRAGMA synchronous=FULL", error) ||
            !db_->exec(
                "CREATE TEMP TABLE keys_in (key TEXT PRIMARY KEY, hash BLOB NOT NULL, response BLOB NOT "
                "NULL, stored_at_ms INTEGER NOT NULL)",
                error) ||
            !db_->exec("BEGIN", error)) {
            return false;
        }
        event_ = db_->prepare(AuditSchema::kInsertEvent, error);
        copiedKey_ = db_->prepare(
            "INSERT OR REPLACE INTO keys_in (key, hash, response, stored_at_ms) VALUES (?, ?, ?, ?)", error);
        rebuiltKey_ = db_->prepare(
            "INSERT OR IGNORE INTO keys_in (key, hash, response, stored_at_ms) VALUES (?, ?, ?, ?)", error);
        rollout_ =
            db_->prepare("INSERT OR REPLACE INTO rollouts (id, status, state) VALUES (?, ?, ?)", error);
        policy_ = db_->prepare("INSERT INTO policy_versions (version) VALUES (?)", error);
        return event_.valid() && copiedKey_.valid() && rebuiltKey_.valid() && rollout_.valid() &&
               policy_.valid();
    }

    bool addEvent(std::int64_t seq, const AuditRow& row) {
        event_.bind(1, seq);
        event_.bind(2, row.atMs);
        event_.bindText(3, row.traceId);
        event_.bindText(4, row.kind);
        event_.bindText(5, row.subject);
        event_.bindText(6, row.payload);
        if (row.policyVersion.isEmpty()) {
            event_.bindNull(7);
        } else {
            auto found = policies_.constFind(row.policyVersion);
            if (found == policies_.constEnd()) {
                policy_.bindText(1, row.policyVersion);
                if (!policy_.run(nullptr)) {
                    event_.reset();
                    return false;
                }
                found = policies_.insert(row.policyVersion, sqlite3_last_insert_rowid(db_->handle()));
            }
            event_.bind(7, *found);
        }
        if (!event_.run(nullptr)) {
            return false;
        }
        auto& minute = minutes_[minuteOf(row.atMs)];
        minute.first = minute.first == 0 ? seq : std::min(minute.first, seq);
        minute.last = std::max(minute.last, seq);
        highestSeq_ = std::max(highestSeq_, seq);
        return true;
    }

    bool addKey(const IdempotencyRow& key, bool rebuilt) {
        SqliteStatement& insert = rebuilt ? rebuiltKey_ : copiedKey_;
        const QByteArray keyUtf8 = key.key.toUtf8();
        insert.bindText(1, keyUtf8);
        insert.bindBlob(2, key.canonicalHash);
        insert.bindBlob(3, key.response);
        insert.bind(4, key.storedAtMs);
        if (!insert.run(nullptr)) {
            return false;
        }
        return sqlite3_changes(db_->handle()) > 0;
    }

    bool addRollout(const QString& id, const QString& status, const QByteArray& state) {
        rollout_.bindText(1, id);
        rollout_.bindText(2, status);
        rollout_.bindText(3, state);
        return rollout_.run(nullptr);
    }

    // Keys go in in the order they were stored, which is the order expiry walks them in.
    bool finish(std::int64_t seqFloor, QString* error) {
        SqliteStatement minute =
            db_->prepare("INSERT INTO audit_minutes (minute, first_seq, last_seq) VALUES (?, ?, ?)", error);
        if (!minute.valid()) {
            return false;
        }
        for (const auto& [at, range] : minutes_) {
            minute.bind(1, at);
            minute.bind(2, range.first);
            minute.bind(3, range.last);
            if (!minute.run(error)) {
                return false;
            }
        }
        const QByteArray floor = "INSERT OR REPLACE INTO audit_meta (name, value) VALUES ('seq_floor', " +
                                 QByteArray::number(std::max(seqFloor, highestSeq_)) + ")";
        return db_->exec(floor.constData(), error) &&
               db_->exec(
                   "INSERT INTO idempotency (key, hash, response, stored_at_ms, checksum) SELECT key, hash, "
                   "response, stored_at_ms, tai_row_checksum(key, hash, response, stored_at_ms) FROM keys_in "
                   "ORDER BY stored_at_ms, rowid",
                   error) &&
               db_->exec("COMMIT", error) && db_->exec("PRAGMA journal_mode=WAL", error);
    }

    void close() {
        event_ = {};
        copiedKey_ = {};
        rebuiltKey_ = {};
        rollout_ = {};
        policy_ = {};
        db_.reset();
    }

private:
    struct MinuteRange {
        std::int64_t first = 0;
        std::int64_t last = 0;
    };
    std::optional<SqliteConnection> db_;
    SqliteStatement event_, copiedKey_, rebuiltKey_, rollout_, policy_;
    QHash<QString, std::int64_t> policies_;
    std::map<std::int64_t, MinuteRange> minutes_;
    std::int64_t highestSeq_ = 0;
};

}  // namespace tai
