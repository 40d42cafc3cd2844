// The audit store's writer thread: group commit without a timer, retries, maintenance, shutdown.
#include "audit/audit_batch.h"
#include "audit/audit_store.h"
#include "audit/audit_writer.h"
#include "base/real_clock.h"

#include <spdlog/spdlog.h>

#include <pthread.h>

namespace tai {

namespace {
constexpr std::int64_t kMaintenanceEveryMs = 1000;
constexpr std::chrono::seconds kIdleWake{1};  // while idle, key expiry still has to run
}  // namespace

void AuditStore::run() {
    pthread_setname_np(pthread_self(), "tai-audit-write");  // what top and perf show for this thread
    // `batch` is what the writer has taken; it commits from its front, a transaction at a time. A
    // transaction that would fall short of kBatchRows first takes in whatever queued meanwhile, so
    // a backlog always commits in full transactions and a lone row never waits for company.
    Batch batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (batch.weight < kBatchRows && !pending_->empty()) {
                batch.takeFrom(*pending_);
            }
            if (batch.empty()) {
                if (!stopping_) {
                    writerIdle_ = true;
                    wake_.wait_for(lock, kIdleWake, [this] { return stopping_ || !pending_->empty(); });
                    writerIdle_ = false;
                }
                if (pending_->empty()) {
                    if (stopping_) {
                        closed_ = true;  // from here on, appends are counted as abandoned
                        break;
                    }
                    lock.unlock();
                    maintainWhileIdle();
                    continue;
                }
                batch.takeFrom(*pending_);
            }
        }
        const Chunk chunk = nextChunk(batch, batch.consumedRows, batch.consumedWrites, kBatchRows);
        if (!commitWithRetry(batch, chunk)) {
            ShutdownReport report;
            {
                std::lock_guard lock(mutex_);
                closed_ = true;
                abandon(batch, batch.consumedRows, batch.consumedWrites);
                abandon(*pending_, 0, 0);
                report = shutdown_;
            }
            spdlog::error(
                "audit store: gave up at shutdown on {} rows that could not be committed ({} waiting "
                "clients not acknowledged): {}",
                report.abandonedRows, report.abandonedCallbacks, health().lastError.toStdString());
            writer_.reset();
            stopReleasing();
            return;
        }
        released(batch, chunk);
        batch.consume(chunk.rowEnd, chunk.writeEnd, chunk.weight);
    }
    writer_->checkpoint();  // a clean stop leaves everything in the main file
    writer_.reset();
    stopReleasing();
}

void AuditStore::maintainWhileIdle() {
    const bool due = options_.nowMs &&
                     (now() - lastMaintenanceMs_ >= kMaintenanceEveryMs || writer_->maintenanceBacklog());
    if (!due) {
        return;
    }
    QString error;
    if (writer_->maintain(now(), &error)) {
        lastMaintenanceMs_ = now();
        ++maintenancePasses_;
        setOk();
    } else {
        setFailing(error);
    }
}

bool AuditStore::commitWithRetry(Batch& batch, const Chunk& chunk) {
    auto wait = options_.firstRetry;
    bool sawStop = false;
    for (;;) {
        const std::int64_t at = now();
        const bool maintenance = options_.nowMs && (at - lastMaintenanceMs_ >= kMaintenanceEveryMs ||
                                                    writer_->maintenanceBacklog());
        QString error;
        if (writer_->commit(batch, chunk, maintenance ? std::optional(at) : std::nullopt, &error)) {
            if (maintenance) {
                lastMaintenanceMs_ = at;
                ++maintenancePasses_;
            }
            setOk();
            return true;
        }
        // Never acknowledge what is not on disk, never drop it: the same chunk again, later.
        setFailing(error);
        std::unique_lock lock(mutex_);
        if (stopping_) {
            const auto left = stopDeadline_ - RealClock::monotonicNow();
            if (left <= std::chrono::microseconds(0)) {
                return false;
            }
            wake_.wait_for(lock, std::min<std::chrono::microseconds>(wait, left));
        } else {
            wake_.wait_for(lock, wait, [&] { return stopping_ && !sawStop; });
            sawStop = stopping_;
        }
        wait = std::min(wait * 2, options_.maxRetry);
    }
}

void AuditStore::released(Batch& batch, const Chunk& chunk) {
    committedRows_.fetch_add(chunk.rowEnd - chunk.rowBegin, std::memory_order_relaxed);
    commits_.fetch_add(1, std::memory_order_relaxed);
    pendingRows_.fetch_sub(chunk.weight, std::memory_order_relaxed);
    bool anyKey = false;
    for (std::size_t w = chunk.writeBegin; w < chunk.writeEnd && !anyKey; ++w) {
        anyKey = batch.writes[w].key.has_value();
    }
    if (anyKey) {
        // Committed keys are answered by the lookup connection from now on; a newer append of the
        // same key (a later generation) stays pending.
        std::lock_guard lock(mutex_);
        for (std::size_t w = chunk.writeBegin; w < chunk.writeEnd; ++w) {
            const PendingWrite& write = batch.writes[w];
            if (!write.key) {
                continue;
            }
            const auto found = pendingKeys_.find(write.key->key);
            if (found != pendingKeys_.end() && found->generation == write.keyGeneration) {
                pendingKeys_.erase(found);
            }
        }
    }
    Committed done;
    done.callbacks.reserve(chunk.writeEnd - chunk.writeBegin);
    for (std::size_t w = chunk.writeBegin; w < chunk.writeEnd; ++w) {
        if (batch.writes[w].committed) {
            done.callbacks.push_back(std::move(batch.writes[w].committed));
        }
    }
    done.rows.assign(
        std::make_move_iterator(batch.rows.begin() + static_cast<std::ptrdiff_t>(chunk.rowBegin)),
        std::make_move_iterator(batch.rows.begin() + static_cast<std::ptrdiff_t>(chunk.rowEnd)));
    {
        std::lock_guard lock(releaseMutex_);
        releaseQueue_.push_back(std::move(done));
    }
    releaseWake_.notify_one();
}

void AuditStore::releaseCommitted() {
    pthread_setname_np(pthread_self(), "tai-audit-ack");
    for (;;) {
        Committed done;
        {
            std::unique_lock lock(releaseMutex_);
            releaseWake_.wait(lock, [this] { return writerDone_ || !releaseQueue_.empty(); });
            if (releaseQueue_.empty()) {
                return;  // the writer has stopped and everything it committed is released
            }
            done = std::move(releaseQueue_.front());
            releaseQueue_.pop_front();
        }
        for (auto& callback : done.callbacks) {
            callback();
        }
    }
}

std::uint64_t AuditStore::abandon(Batch& batch, std::size_t rowBegin, std::size_t writeBegin) {
    std::uint64_t rows = batch.rows.size() - rowBegin;
    for (std::size_t w = writeBegin; w < batch.writes.size(); ++w) {
        rows += (batch.writes[w].key ? 1 : 0) + (batch.writes[w].rollout ? 1 : 0);
        shutdown_.abandonedCallbacks += batch.writes[w].committed ? 1 : 0;
    }
    shutdown_.abandonedRows += rows;
    batch.clear();
    return rows;
}

void AuditStore::stopReleasing() {
    {
        std::lock_guard lock(releaseMutex_);
        writerDone_ = true;
    }
    releaseWake_.notify_one();
}

ShutdownReport AuditStore::close(std::chrono::milliseconds grace) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            stopping_ = true;
            stopDeadline_ = RealClock::monotonicNow() + grace;
        }
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    if (releaser_.joinable()) {
        releaser_.join();  // every commit's callbacks have run
    }
    std::lock_guard lock(mutex_);
    return shutdown_;
}

}  // namespace tai
