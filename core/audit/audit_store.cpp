#include "audit/audit_store.h"

#include "audit/audit_connection.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <spdlog/spdlog.h>

#include <future>

namespace tai {

struct Batch {
    std::vector<AuditRow> rows;
    std::vector<IdempotencyRow> keys;
    std::vector<std::tuple<QString, QString, QByteArray>> rollouts;
    std::vector<std::function<void()>> committed;
};

namespace {

bool exec(QSqlDatabase db, const QString& sql, QString* error) {
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = sql.left(60) + QStringLiteral("…: ") + q.lastError().text();
        return false;
    }
    return true;
}

// Schema migrations: each step runs once, in order, and records its version.
const QStringList kMigrations[] = {
    {
        QStringLiteral(
            "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, "
            "trace_id TEXT, kind TEXT NOT NULL, subject TEXT, payload TEXT, policy_version TEXT)"),
        QStringLiteral("CREATE INDEX audit_kind ON audit_events(kind, seq)"),
        QStringLiteral("CREATE INDEX audit_subject ON audit_events(subject, seq)"),
        QStringLiteral("CREATE INDEX audit_trace ON audit_events(trace_id)"),
        QStringLiteral("CREATE INDEX audit_time ON audit_events(at_ms)"),
        QStringLiteral(
            "CREATE TABLE idempotency (key TEXT PRIMARY KEY, hash TEXT NOT NULL, response TEXT NOT NULL, "
            "stored_at_ms INTEGER NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE rollouts (id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL)"),
    },
};

bool migrate(QSqlDatabase db, std::int64_t nowMs, QString* error) {
    if (!exec(db,
              QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                             "applied_at_ms INTEGER)"),
              error)) {
        return false;
    }
    QSqlQuery current(db);
    current.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    const int have = current.next() ? current.value(0).toInt() : 0;
    if (have > AuditStore::kSchemaVersion) {
        *error = QStringLiteral("the database has schema version %1; this build knows up to %2")
                     .arg(have)
                     .arg(AuditStore::kSchemaVersion);
        return false;
    }
    for (int version = have + 1; version <= AuditStore::kSchemaVersion; ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        for (const QString& sql : kMigrations[version - 1]) {
            if (!exec(db, sql, error)) {
                db.rollback();
                return false;
            }
        }
        QSqlQuery record(db);
        record.prepare(
            QStringLiteral("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)"));
        record.addBindValue(version);
        record.addBindValue(static_cast<qlonglong>(nowMs));
        if (!record.exec() || !db.commit()) {
            *error = record.lastError().text();
            db.rollback();
            return false;
        }
        spdlog::info("audit store: applied schema migration {}", version);
    }
    return true;
}

}  // namespace

AuditStore::AuditStore(const Options& options, QString databaseName)
    : options_(options), databaseName_(std::move(databaseName)), pending_(std::make_unique<Batch>()) {}

std::unique_ptr<AuditStore> AuditStore::open(const Options& options, QString* error) {
    static std::atomic<int> counter{0};
    const QString name =
        options.path.isEmpty()
            ? QStringLiteral("file:tai-memory-%1?mode=memory&cache=shared").arg(counter.fetch_add(1))
            : options.path;
    std::unique_ptr<AuditStore> store(new AuditStore(options, name));
    std::promise<QString> ready;
    auto started = ready.get_future();
    store->writer_ = std::thread([raw = store.get(), &ready] {
        AuditConnection connection(raw->databaseName_, QStringLiteral("tai-audit-writer-"));
        QString problem;
        if (!connection.ok()) {
            problem = QStringLiteral("cannot open %1: %2").arg(raw->databaseName_, connection.error());
        } else {
            QSqlDatabase db = connection.db();
            // WAL lets readers page the trail while the writer commits; FULL fsyncs every commit.
            if (!raw->databaseName_.startsWith(QStringLiteral("file:"))) {
                exec(db, QStringLiteral("PRAGMA journal_mode=WAL"), &problem);
            }
            exec(db, QStringLiteral("PRAGMA synchronous=FULL"), &problem);
            if (problem.isEmpty()) {
                migrate(db, raw->options_.nowMs ? raw->options_.nowMs() : 0, &problem);
            }
        }
        if (problem.isEmpty()) {
            raw->purge();  // before anyone reads: retention applies from the first query
        }
        ready.set_value(problem);
        if (problem.isEmpty()) {
            raw->run();
        }
    });
    const QString problem = started.get();
    if (!problem.isEmpty()) {
        store->writer_.join();
        *error = problem;
        return nullptr;
    }
    return store;
}

AuditStore::~AuditStore() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) {
        writer_.join();
    }
}

void AuditStore::append(AuditRow row) {
    std::lock_guard lock(mutex_);
    pending_->rows.push_back(std::move(row));
    if (++pendingRows_ >= kBatchRows) {
        wake_.notify_one();
    }
}

void AuditStore::appendDurable(std::vector<AuditRow> rows, std::optional<IdempotencyRow> key,
                               std::function<void()> committed) {
    std::lock_guard lock(mutex_);
    pendingRows_ += rows.size();
    for (AuditRow& row : rows) {
        pending_->rows.push_back(std::move(row));
    }
    if (key) {
        pending_->keys.push_back(std::move(*key));
    }
    if (committed) {
        pending_->committed.push_back(std::move(committed));
    }
    if (pendingRows_ >= kBatchRows) {
        wake_.notify_one();
    }
}

void AuditStore::putRollout(const QString& id, const QString& status, const QByteArray& json) {
    std::lock_guard lock(mutex_);
    pending_->rollouts.emplace_back(id, status, json);
}

void AuditStore::flush() {
    std::promise<void> done;
    appendDurable({}, std::nullopt, [&done] { done.set_value(); });
    wake_.notify_one();
    done.get_future().wait();
}

QString AuditStore::lastError() const {
    std::lock_guard lock(mutex_);
    return lastError_;
}

void AuditStore::run() {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-commit-"));
    commitConnection_ = &connection;
    QString pragmaError;
    exec(connection.db(), QStringLiteral("PRAGMA synchronous=FULL"), &pragmaError);  // per connection
    std::int64_t lastPurgeMs = options_.nowMs ? options_.nowMs() : 0;
    for (;;) {
        std::unique_ptr<Batch> batch;
        {
            std::unique_lock lock(mutex_);
            // Group commit: wait for a full batch, for the window to pass, or for shutdown.
            wake_.wait_for(lock, kBatchWindow, [this] { return stopping_ || pendingRows_ >= kBatchRows; });
            const bool empty = pending_->rows.empty() && pending_->keys.empty() &&
                               pending_->rollouts.empty() && pending_->committed.empty();
            if (empty) {
                if (stopping_) {
                    return;
                }
                continue;
            }
            batch = std::exchange(pending_, std::make_unique<Batch>());
            pendingRows_ = 0;
        }
        // Never acknowledge what is not on disk: retry until the commit succeeds.
        int attempt = 0;
        while (!commitBatch(*batch)) {
            const auto wait = std::chrono::milliseconds(std::min(1000, 50 << std::min(attempt++, 5)));
            std::this_thread::sleep_for(wait);
        }
        for (auto& committed : batch->committed) {
            committed();
        }
        const std::int64_t purgeEveryMs =
            databaseName_.startsWith(QStringLiteral("file:")) ? 60'000 : 3'600'000;
        if (options_.nowMs && options_.nowMs() - lastPurgeMs > purgeEveryMs) {
            purge();
            lastPurgeMs = options_.nowMs();
        }
    }
}

bool AuditStore::commitBatch(Batch& batch) {
    QSqlDatabase db = commitConnection_->db();
    const auto fail = [&](const QString& what) {
        std::lock_guard lock(mutex_);
        lastError_ = what;
        spdlog::error("audit store: commit failed, retrying: {}", what.toStdString());
        db.rollback();
        return false;
    };
    if (!db.transaction()) {
        return fail(db.lastError().text());
    }
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO audit_events (at_ms, trace_id, kind, subject, payload, policy_version) "
                       "VALUES (?, ?, ?, ?, ?, ?)"));
    for (const AuditRow& row : batch.rows) {
        insert.bindValue(0, static_cast<qlonglong>(row.atMs));
        insert.bindValue(1, row.traceId);
        insert.bindValue(2, row.kind);
        insert.bindValue(3, row.subject);
        insert.bindValue(4, QString::fromUtf8(row.payload));
        insert.bindValue(5, row.policyVersion);
        if (!insert.exec()) {
            return fail(insert.lastError().text());
        }
    }
    QSqlQuery key(db);
    key.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO idempotency (key, hash, response, stored_at_ms) VALUES (?, ?, ?, ?)"));
    for (const IdempotencyRow& k : batch.keys) {
        key.bindValue(0, k.key);
        key.bindValue(1, QString::fromLatin1(k.canonicalHash));
        key.bindValue(2, QString::fromUtf8(k.response));
        key.bindValue(3, static_cast<qlonglong>(k.storedAtMs));
        if (!key.exec()) {
            return fail(key.lastError().text());
        }
    }
    QSqlQuery rollout(db);
    rollout.prepare(QStringLiteral("INSERT OR REPLACE INTO rollouts (id, status, state) VALUES (?, ?, ?)"));
    for (const auto& [id, status, json] : batch.rollouts) {
        rollout.bindValue(0, id);
        rollout.bindValue(1, status);
        rollout.bindValue(2, QString::fromUtf8(json));
        if (!rollout.exec()) {
            return fail(rollout.lastError().text());
        }
    }
    if (!db.commit()) {
        return fail(db.lastError().text());
    }
    committedRows_ += batch.rows.size();
    ++commits_;
    return true;
}

void AuditStore::purge() {
    if (!options_.nowMs) {
        return;
    }
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-purge-"));
    QSqlQuery q(connection.db());
    const std::int64_t now = options_.nowMs();
    const bool inMemory = databaseName_.startsWith(QStringLiteral("file:"));
    const std::int64_t keepMs =
        inMemory ? std::chrono::duration_cast<std::chrono::milliseconds>(options_.memoryRetention).count()
                 : options_.retentionDays * kAuditDayMs;
    q.prepare(QStringLiteral("DELETE FROM audit_events WHERE at_ms < ?"));
    q.addBindValue(static_cast<qlonglong>(now - keepMs));
    if (!q.exec()) {
        spdlog::warn("audit store: retention failed: {}", q.lastError().text().toStdString());
    }
    const auto removed = q.numRowsAffected();
    q.prepare(QStringLiteral("DELETE FROM idempotency WHERE stored_at_ms <= ?"));
    q.addBindValue(static_cast<qlonglong>(now - kAuditDayMs));
    q.exec();
    if (removed > 0) {
        spdlog::debug("audit store: retention removed {} events", removed);
    }
}

}  // namespace tai
