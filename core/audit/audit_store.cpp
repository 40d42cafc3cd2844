#include "audit/audit_store.h"

#include "audit/audit_batch.h"
#include "audit/audit_opening.h"
#include "audit/audit_writer.h"
#include "base/real_clock.h"

#include <spdlog/spdlog.h>

#include <future>

namespace tai {

AuditStore::AuditStore(const Options& options, QString databaseName)
    : options_(options), databaseName_(std::move(databaseName)), pending_(std::make_unique<Batch>()) {}

std::unique_ptr<AuditStore> AuditStore::open(const Options& options, QString* error) {
    static std::atomic<int> counter{0};
    const QString name =
        options.path.isEmpty()
            ? QStringLiteral("file:tai-memory-%1?mode=memory&cache=shared").arg(counter.fetch_add(1))
            : options.path;
    std::unique_ptr<AuditStore> store(new AuditStore(options, name));
    OpenedAudit opened = openAuditDatabase(name, options, error);
    if (!opened.writer) {
        return nullptr;
    }
    store->writer_ = std::move(opened.writer);
    store->lookup_ = std::move(opened.lookup);
    store->lastMaintenanceMs_ = store->now();
    store->releaser_ = std::thread([raw = store.get()] { raw->releaseCommitted(); });
    store->thread_ = std::thread([raw = store.get()] { raw->run(); });
    return store;
}

AuditStore::~AuditStore() {
    close(options_.shutdownGrace);
}

bool AuditStore::inMemory() const {
    return options_.path.isEmpty();
}

void AuditStore::append(AuditRow row) {
    std::lock_guard lock(mutex_);
    if (closed_) {
        ++shutdown_.abandonedRows;
        return;
    }
    pending_->rows.push_back(std::move(row));
    ++pending_->weight;
    pendingRows_.fetch_add(1, std::memory_order_relaxed);
    if (writerIdle_) {
        wake_.notify_one();
    }
}

void AuditStore::appendDurable(std::vector<AuditRow> rows, std::optional<IdempotencyRow> key,
                               std::function<void()> committed) {
    std::lock_guard lock(mutex_);
    if (closed_) {
        shutdown_.abandonedRows += rows.size() + (key ? 1 : 0);
        shutdown_.abandonedCallbacks += committed ? 1 : 0;
        return;
    }
    PendingWrite write;
    write.rowBegin = pending_->rows.size();
    for (AuditRow& row : rows) {
        pending_->rows.push_back(std::move(row));
    }
    write.rowEnd = pending_->rows.size();
    if (key) {
        write.keyGeneration = ++keyGeneration_;
        pendingKeys_.insert(key->key, PendingKey{*key, write.keyGeneration});
        write.key = std::move(key);
    }
    write.committed = std::move(committed);
    pendingRows_.fetch_add(write.weight(), std::memory_order_relaxed);
    pending_->weight += write.weight();
    pending_->writes.push_back(std::move(write));
    if (writerIdle_) {
        wake_.notify_one();
    }
}

void AuditStore::putRollout(const QString& id, const QString& status, const QByteArray& json) {
    std::lock_guard lock(mutex_);
    if (closed_) {
        ++shutdown_.abandonedRows;
        return;
    }
    PendingWrite write;
    write.rowBegin = write.rowEnd = pending_->rows.size();
    write.rollout = RolloutRow{id, status, json};
    pendingRows_.fetch_add(1, std::memory_order_relaxed);
    ++pending_->weight;
    pending_->writes.push_back(std::move(write));
    if (writerIdle_) {
        wake_.notify_one();
    }
}

bool AuditStore::flush(std::chrono::milliseconds timeout) {
    {
        std::lock_guard lock(mutex_);
        if (closed_ || stopping_) {
            return pendingRows_.load() == 0;
        }
    }
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    appendDurable({}, std::nullopt, [done] { done->set_value(); });
    return future.wait_for(timeout) == std::future_status::ready;
}

KeyLookup AuditStore::findIdempotency(const QString& key, std::int64_t nowMs) const {
    const std::int64_t retention =
        inMemory() ? std::chrono::duration_cast<std::chrono::milliseconds>(options_.memoryRetention).count()
                   : kKeyRetentionMs;
    {
        std::lock_guard lock(mutex_);
        if (const auto found = pendingKeys_.constFind(key); found != pendingKeys_.constEnd()) {
            KeyLookup result;
            if (found->row.storedAtMs > nowMs - retention) {
                result.status = KeyLookup::Status::Found;
                result.row = found->row;
            }
            return result;
        }
    }
    return lookup_->find(key, nowMs - retention);
}

StorageHealth AuditStore::health() const {
    std::lock_guard lock(mutex_);
    StorageHealth health = health_;
    health.pendingRows = pendingRows_.load(std::memory_order_relaxed);
    return health;
}

QString AuditStore::lastError() const {
    std::lock_guard lock(mutex_);
    return health_.lastError;
}

void AuditStore::setFailing(const QString& error) {
    StorageHealth changed;
    bool notify = false;
    {
        std::lock_guard lock(mutex_);
        if (health_.ok) {
            health_.ok = false;
            health_.failingSinceMs = now();
            health_.failedAttempts = 0;
            notify = true;
        }
        ++health_.failedAttempts;
        health_.lastError = error;
        changed = health_;
        changed.pendingRows = pendingRows_.load(std::memory_order_relaxed);
    }
    if (notify || changed.failedAttempts <= 3 || changed.failedAttempts % 100 == 0) {
        spdlog::error("audit store: commit failed (attempt {}), retrying: {}", changed.failedAttempts,
                      error.toStdString());
    }
    if (notify && options_.healthChanged) {
        options_.healthChanged(changed);
    }
}

void AuditStore::setOk() {
    StorageHealth changed;
    {
        std::lock_guard lock(mutex_);
        if (health_.ok) {
            return;
        }
        health_.ok = true;
        changed = health_;
        changed.pendingRows = pendingRows_.load(std::memory_order_relaxed);
    }
    spdlog::info("audit store: commits go through again after {} failed attempts", changed.failedAttempts);
    if (options_.healthChanged) {
        options_.healthChanged(changed);
    }
}

}  // namespace tai
