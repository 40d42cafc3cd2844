#pragma once

#include "audit/audit_integrity.h"
#include "audit/audit_types.h"
#include "audit/idempotency_lookup.h"
#include "audit/storage_health.h"

#include <QHash>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tai {

class AuditWriter;
struct Batch;
struct Chunk;
struct Committed;

// The durable audit trail (DESIGN.md §7) on the sqlite3 C API: WAL, synchronous=FULL, one writer
// thread. The writer commits as soon as it is free, taking everything that queued while the
// previous commit ran (at most 1000 rows per transaction; no timer adds a delay). A durable
// append's callback runs only after the commit that holds it: that is what makes an acknowledged
// payment survive kill -9. A failing commit is retried with backoff, never dropped, and its
// callbacks wait; health() says so. The database is verified before it is used (issue 14), and
// idempotency keys stay in SQLite, read by a cheap point lookup, never loaded whole.
class AuditStore {
public:
    struct Options {
        QString path;  // a file, or empty for an in-memory database (--ephemeral)
        int retentionDays = 30;
        std::function<std::int64_t()> nowMs{};  // the engine's clock, for retention, key expiry and health
        // In memory (--ephemeral) the trail and the keys keep only this much, and at most this many
        // rows, so a long demo cannot fill RAM.
        std::chrono::minutes memoryRetention{15};
        std::int64_t memoryMaxEvents = 200'000;
        std::int64_t memoryMaxKeys = 200'000;
        // At open: PRAGMA quick_check (plus the key table against its index), or a full
        // integrity_check when set (slower: it reads every index against its table).
        bool fullIntegrityCheck = false;
        // The payments layer's check of one stored idempotency row (its response bytes above all);
        // every row is checked at open, and damage refuses the open.
        IdempotencyRowValidator validateKey{};
        // Called on the writer thread when commits start failing and when they go through again.
        std::function<void(const StorageHealth&)> healthChanged{};
        // How long the destructor keeps retrying failing commits before it gives up on them.
        std::chrono::milliseconds shutdownGrace{3000};
        std::chrono::milliseconds firstRetry{25};  // doubles per failed attempt, up to maxRetry
        std::chrono::milliseconds maxRetry{1000};
        // Test hook: an SQLite result code for the next commit instead of committing (0: commit).
        std::function<int()> injectFault{};
    };
    static constexpr int kSchemaVersion = 2;
    static constexpr int kBatchRows = 1000;                       // upper bound per transaction
    static constexpr std::chrono::milliseconds kBatchWindow{50};  // upper bound; nothing waits for it
    static constexpr std::int64_t kKeyRetentionMs = 24LL * 3600 * 1000;

    // Opens, verifies and migrates the database. Null with `error` set when it cannot: for a damaged
    // file the message names it, the problem and what to do (restore, or `audit recover`).
    static std::unique_ptr<AuditStore> open(const Options& options, QString* error);
    ~AuditStore();  // close(options.shutdownGrace)

    void append(AuditRow row);
    void appendDurable(std::vector<AuditRow> rows, std::optional<IdempotencyRow> key,
                       std::function<void()> committed);
    void putRollout(const QString& id, const QString& status, const QByteArray& json);
    // Waits until everything queued before it is committed, or `timeout` passes. True if committed.
    bool flush(std::chrono::milliseconds timeout = std::chrono::hours(24));
    // Commits what it can, retrying failures for at most `grace`, then stops the writer. What it had
    // to give up is counted and logged; callbacks of abandoned appends never run. Idempotent.
    ShutdownReport close(std::chrono::milliseconds grace);

    // The key's row if it was appended (committed or still queued) and is unexpired at `nowMs`.
    // Synchronous and cheap (a few µs: a prepared statement on a dedicated read connection); safe
    // from any thread except the forbidden one. Failed means "unknown": never treat it as missing.
    KeyLookup findIdempotency(const QString& key, std::int64_t nowMs) const;

    StorageHealth health() const;
    std::size_t pendingRows() const { return pendingRows_.load(std::memory_order_relaxed); }

    // Reads on the calling thread with its own connection (safe off the GUI thread).
    std::vector<std::pair<QString, QByteArray>> loadRollouts() const;  // status, json
    std::vector<AuditRecord> query(const AuditQuery& query, QString* error = nullptr) const;
    // Writes every row matching `query` (ignoring its limit) as CSV or JSONL. Returns rows written, -1 on
    // error.
    std::int64_t exportTo(const AuditQuery& query, const QString& format, const QString& file,
                          QString* error) const;
    // Every stored key (for tests and status): a count in SQLite, nothing loaded.
    std::int64_t storedKeyCount() const;

    QString databaseName() const { return databaseName_; }
    bool inMemory() const;
    std::uint64_t committedRows() const { return committedRows_.load(); }
    std::uint64_t commits() const { return commits_.load(); }
    // Retention and key-expiry passes run so far (each deletes at most a bounded batch per kind).
    std::uint64_t maintenancePasses() const { return maintenancePasses_.load(); }
    QString lastError() const;

private:
    struct PendingKey {
        IdempotencyRow row;
        std::uint64_t generation = 0;
    };

    AuditStore(const Options& options, QString databaseName);
    void run();
    bool commitWithRetry(Batch& batch, const Chunk& chunk);
    // Moves the chunk's callbacks and rows out (not copies: they are the engine's last references).
    void released(Batch& batch, const Chunk& chunk);
    void maintainWhileIdle();
    void releaseCommitted();
    void stopReleasing();
    void setFailing(const QString& error);
    void setOk();
    std::int64_t now() const { return options_.nowMs ? options_.nowMs() : 0; }
    std::uint64_t abandon(Batch& batch, std::size_t rowBegin, std::size_t writeBegin);

    Options options_;
    QString databaseName_;  // file path or shared-memory URI
    std::unique_ptr<AuditWriter> writer_;
    std::unique_ptr<IdempotencyLookup> lookup_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable committedSignal_;
    std::unique_ptr<Batch> pending_;
    QHash<QString, PendingKey> pendingKeys_;  // queued or in commit: visible to lookups at once
    std::uint64_t keyGeneration_ = 0;
    bool writerIdle_ = false;
    bool stopping_ = false;
    bool closed_ = false;
    std::chrono::microseconds stopDeadline_{0};  // RealClock::monotonicNow() by which to give up
    ShutdownReport shutdown_;
    StorageHealth health_;
    std::atomic<std::size_t> pendingRows_{0};
    std::atomic<std::uint64_t> committedRows_{0};
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> maintenancePasses_{0};
    std::int64_t lastMaintenanceMs_ = 0;
    // Callbacks run on their own thread, in commit order, while the writer commits the next
    // group: what the writer does between two fsyncs is only what the next one needs.
    std::mutex releaseMutex_;
    std::condition_variable releaseWake_;
    std::deque<Committed> releaseQueue_;
    bool writerDone_ = false;
    std::thread thread_;
    std::thread releaser_;
};

}  // namespace tai
