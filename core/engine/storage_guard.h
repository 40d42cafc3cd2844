#pragma once

#include "jidoka/circuit_breaker.h"

#include <functional>
#include <memory>

namespace tai {

class AuditStore;
class EventJournal;
struct EngineConfig;
struct StorageHealth;
struct StorageView;

// The `storage` breaker (issue 14): nothing is charged that could not be recorded. The normal
// CircuitBreaker, fed by the audit store's commits: the first failure the store reports opens it,
// and each half-open probe asks the store whether commits go through again (1 s, backing off to
// 5 s). While it is open the payments pipeline refuses new payments before the gateway; what it
// refused is audited as one count when the breaker closes. Engine thread; only a file-backed
// trail has one.
class StorageGuard {
public:
    // `refusals` reads the payments refused while open so far; `changed` asks for a snapshot.
    StorageGuard(const AuditStore& audit, EventJournal& journal, Clock& clock,
                 std::function<std::uint64_t()> refusals, std::function<void()> changed);
    ~StorageGuard();
    StorageGuard(const StorageGuard&) = delete;
    StorageGuard& operator=(const StorageGuard&) = delete;

    CircuitBreaker& breaker() { return breaker_; }
    // What the store's writer reported, posted to the engine thread.
    void healthChanged(const StorageHealth& health);
    // The store's health, for /readyz and the console.
    void contribute(StorageView& view) const;

private:
    void probe();
    void auditRefusals();

    const AuditStore& audit_;
    EventJournal& journal_;
    Clock& clock_;
    std::function<std::uint64_t()> refusals_;
    std::function<void()> changed_;
    CircuitBreaker breaker_;
    TimerId probeTimer_ = 0;
    std::uint64_t refusalsAudited_ = 0;
};

// Opens, verifies and migrates the engine's audit store (`config.auditDatabase`), every stored
// key checked by the payments layer (a partial ledger would charge a retry twice). `health` is
// called on the store's writer thread when commits start failing and when they go through again.
// Null with `error` set ("audit database: ...") when it cannot be opened.
std::unique_ptr<AuditStore> openAuditStore(const EngineConfig& config, Clock& clock,
                                           std::function<void(const StorageHealth&)> health, QString* error);

}  // namespace tai
