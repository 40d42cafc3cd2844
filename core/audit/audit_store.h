#pragma once

#include "audit/audit_types.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tai {

// The durable audit trail (§7): SQLite through Qt SQL in WAL mode, one writer thread doing
// group commits (at most every 50 ms or 1000 rows, fsync'd with synchronous=FULL), versioned
// schema migrations, the idempotency table and the rollout table. Durable appends carry a
// callback that runs only after the commit that holds them: that is what makes an
// acknowledged payment survive kill -9.
class AuditStore {
public:
    struct Options {
        QString path;  // a file, or empty for an in-memory database (--ephemeral)
        int retentionDays = 30;
        std::function<std::int64_t()> nowMs;  // the engine's clock, for retention and key expiry
        // In memory (ephemeral) the trail keeps only this much, so a long demo cannot fill RAM.
        std::chrono::minutes memoryRetention{15};
    };
    static constexpr int kSchemaVersion = 1;
    static constexpr int kBatchRows = 1000;
    static constexpr std::chrono::milliseconds kBatchWindow{50};

    // Opens (creating and migrating) the database. Null with `error` set when it cannot.
    static std::unique_ptr<AuditStore> open(const Options& options, QString* error);
    ~AuditStore();  // commits what is queued, then stops the writer

    void append(AuditRow row);
    void appendDurable(std::vector<AuditRow> rows, std::optional<IdempotencyRow> key,
                       std::function<void()> committed);
    void putRollout(const QString& id, const QString& status, const QByteArray& json);
    void flush();  // waits until everything queued before it is committed

    // Reads on the calling thread with its own connection (safe off the GUI thread).
    std::vector<IdempotencyRow> loadIdempotency(std::int64_t nowMs) const;
    std::vector<std::pair<QString, QByteArray>> loadRollouts() const;  // status, json
    std::vector<AuditRecord> query(const AuditQuery& query, QString* error = nullptr) const;
    // Writes every row matching `query` (ignoring its limit) as CSV or JSONL. Returns rows written, -1 on
    // error.
    std::int64_t exportTo(const AuditQuery& query, const QString& format, const QString& file,
                          QString* error) const;

    QString databaseName() const { return databaseName_; }
    std::uint64_t committedRows() const { return committedRows_.load(); }
    std::uint64_t commits() const { return commits_.load(); }
    QString lastError() const;

private:
    explicit AuditStore(const Options& options, QString databaseName);
    void run();
    bool commitBatch(struct Batch& batch);
    void purge();

    Options options_;
    QString databaseName_;  // file path or shared-memory URI
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::unique_ptr<struct Batch> pending_;
    std::size_t pendingRows_ = 0;
    bool stopping_ = false;
    std::atomic<std::uint64_t> committedRows_{0};
    std::atomic<std::uint64_t> commits_{0};
    QString lastError_;
    class AuditConnection* commitConnection_ = nullptr;  // the writer thread's own
    std::thread writer_;
};

}  // namespace tai
