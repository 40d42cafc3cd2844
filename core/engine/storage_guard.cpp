#include "engine/storage_guard.h"

#include "audit/audit_store.h"
#include "engine/engine_config.h"
#include "engine/engine_snapshot.h"
#include "engine/event_journal.h"
#include "engine/payment_key_rows.h"

namespace tai {

using namespace std::chrono_literals;

namespace {
BreakerConfig storageBreakerConfig() {
    BreakerConfig config;
    config.failureThreshold = 1;
    config.recoveryTimeout = 1s;
    config.maxRecoveryTimeout = 5s;
    config.halfOpenMaxProbes = 1;
    config.successThreshold = 1;
    return config;
}
}  // namespace

StorageGuard::StorageGuard(const AuditStore& audit, EventJournal& journal, Clock& clock,
                           std::function<std::uint64_t()> refusals, std::function<void()> changed)
    : audit_(audit),
      journal_(journal),
      clock_(clock),
      refusals_(std::move(refusals)),
      changed_(std::move(changed)),
      breaker_(QStringLiteral("storage"), storageBreakerConfig(), clock) {
    breaker_.setTransitionListener([this](const BreakerTransition& t) {
        journal_.publish(EngineEvent{t.at, t});
        if (t.to == BreakerState::Closed) {
            auditRefusals();
        }
        if (t.to == BreakerState::HalfOpen && probeTimer_ == 0) {
            // Not from inside the breaker's own transition: on the next turn of the clock.
            probeTimer_ = clock_.scheduleAfter(0us, [this] {
                probeTimer_ = 0;
                probe();
            });
        }
    });
}

StorageGuard::~StorageGuard() {
    if (probeTimer_ != 0) {
        clock_.cancel(probeTimer_);
    }
}

void StorageGuard::healthChanged(const StorageHealth& health) {
    if (health.ok) {
        journal_.note(QStringLiteral("system"), QStringLiteral("storage"),
                      QStringLiteral("audit commits go through again after %1 failed attempts")
                          .arg(health.failedAttempts));
    } else {
        journal_.note(QStringLiteral("system"), QStringLiteral("storage"),
                      QStringLiteral("audit commits fail: %1; new payments are refused until they go through")
                          .arg(health.lastError));
        if (breaker_.state() == BreakerState::Closed) {
            const BreakerPermit permit = breaker_.tryAcquire();
            if (permit.allowed) {
                breaker_.onFailure(permit);
            }
        }
    }
    changed_();
}

void StorageGuard::probe() {
    if (breaker_.state() != BreakerState::HalfOpen) {
        return;
    }
    const BreakerPermit permit = breaker_.tryAcquire();
    if (!permit.allowed) {
        return;
    }
    if (audit_.health().ok) {
        breaker_.onSuccess(permit);
    } else {
        breaker_.onFailure(permit);
    }
}

void StorageGuard::auditRefusals() {
    // What was refused while the breaker was open was not audited one by one (the store could
    // not take it): the count goes in now.
    const std::uint64_t refused = refusals_();
    if (refused <= refusalsAudited_) {
        return;
    }
    const std::uint64_t n = refused - refusalsAudited_;
    journal_.note(QStringLiteral("shed"), QStringLiteral("storage"),
                  QStringLiteral("refused %1 payment%2 before the gateway while audit commits failed")
                      .arg(n)
                      .arg(n == 1 ? QString() : QStringLiteral("s")));
    refusalsAudited_ = refused;
}

void StorageGuard::contribute(StorageView& view) const {
    const StorageHealth health = audit_.health();
    view.durable = true;
    view.ok = health.ok;
    view.lastError = health.lastError;
    view.failingSinceMs = health.failingSinceMs;
    view.failedAttempts = health.failedAttempts;
    view.pendingRows = audit_.pendingRows();
}

std::unique_ptr<AuditStore> openAuditStore(const EngineConfig& config, Clock& clock,
                                           std::function<void(const StorageHealth&)> health, QString* error) {
    AuditStore::Options options{*config.auditDatabase, config.retentionDays, [&clock] {
                                    return toEpochMs(clock.now());
                                }};
    options.validateKey = validatePaymentKeyRow;
    options.healthChanged = std::move(health);
    options.injectFault = config.auditFault;
    auto store = AuditStore::open(options, error);
    if (!store) {
        *error = QStringLiteral("audit database: ") + *error;
    }
    return store;
}

}  // namespace tai
