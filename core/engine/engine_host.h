#pragma once

#include "engine/engine_config.h"
#include "engine/engine_snapshot.h"
#include "engine/reference_system.h"
#include "payments/payment_pipeline.h"

#include <QObject>
#include <QSet>

#include <memory>
#include <vector>

namespace tai {

class AndonStation;
class AuditStore;
class StorageGuard;
class DeploymentsSystem;
class EngineInbox;
class EventJournal;
class OtlpExporter;
class PaymentsSystem;
class RealClock;
class TraceStore;

// The engine as it lives on its worker thread (DESIGN.md §3): the clock, the event journal,
// Andon, the durable trail and the trace store, and the reference systems it hosts. It routes
// commands to the system they belong to, runs the once-a-second tick, evaluates Andon and
// publishes snapshots. Only Engine talks to it, and always on its thread (post() excepted).
class EngineHost : public QObject {
    Q_OBJECT
public:
    using Reply = PaymentPipeline::Reply;

    EngineHost(EngineConfig config, Clock* injectedClock);
    ~EngineHost() override;

    // False when the engine cannot start (the audit database cannot be opened); see startError().
    bool start();
    void stop();
    QString startError() const { return startError_; }
    // Shared with readers on other threads, so a query in flight outlives stop().
    std::shared_ptr<AuditStore> audit() const { return audit_; }
    std::shared_ptr<TraceStore> traces() const { return traces_; }
    Clock& clock() { return *clock_; }

    // Thread-safe: runs `work` on the engine thread, after everything posted before it.
    void post(std::function<void()> work);
    void submitPayment(const QByteArray& json, const TraceContext& trace, const Reply& reply);
    CommandResult execute(const EngineCommand& command);
    // The HTTP API's address once it listens: alerts sent out link back to it.
    void setApiUrl(const QString& url);

Q_SIGNALS:
    void snapshotReady(tai::SnapshotPtr snapshot);

private:
    CommandResult dispatch(const EngineCommand& command);
    CommandResult controlBreaker(const ControlBreaker& command);
    // Every breaker: the systems' in their order, then the host's own (storage).
    struct HostedBreaker {
        OwnedBreaker owned;
        QString system;
    };
    std::vector<HostedBreaker> allBreakers();
    void startStorageBreaker();
    void recover();
    void requestExtraSnapshot();
    void publishSnapshot();
    void scheduleSnapshots();
    void scheduleSeconds();

    EngineConfig config_;
    std::unique_ptr<RealClock> ownedClock_;
    Clock* clock_;
    EngineInbox* inbox_;  // a child: lives and dies with this object, on its thread
    std::shared_ptr<AuditStore> audit_;
    std::shared_ptr<TraceStore> traces_;
    std::unique_ptr<OtlpExporter> otlp_;
    std::unique_ptr<EventJournal> journal_;
    std::unique_ptr<AndonStation> andon_;
    std::unique_ptr<SystemContext> context_;
    std::unique_ptr<PaymentsSystem> payments_;
    std::unique_ptr<DeploymentsSystem> deployments_;
    std::unique_ptr<StorageGuard> storage_;  // the storage breaker, for a file-backed trail
    std::vector<ReferenceSystem*> systems_;  // payments, deployments: the order of breakers and rules
    QString startError_;
    std::uint64_t snapshotSequence_ = 0;
    bool extraSnapshotPending_ = false;
    QSet<QString> trippedBreakers_;  // open at the last evaluation and not closed since
    bool running_ = false;
    TimerId snapshotTimer_ = 0;
    TimerId secondTimer_ = 0;
};

}  // namespace tai
