#pragma once

#include "andon/andon_board.h"
#include "audit/idempotency_store.h"
#include "engine/engine_command.h"
#include "engine/engine_config.h"
#include "engine/engine_snapshot.h"
#include "kanban/kanban_worker_pool.h"
#include "payments/payment_pipeline.h"
#include "sim/load_generator.h"
#include "trace/trace_store.h"

#include <QObject>

class QSocketNotifier;

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace tai {

class AuditStore;
class DeploymentOrchestrator;
class DurableJournal;
class InfraSimulator;
class RealClock;

// The engine as it lives on its worker thread: owns the clock, the pipeline, the simulators and
// the confirmation workers; runs commands; publishes snapshots. Only Engine talks to it, always
// on its own thread.
class EngineCore : public QObject {
    Q_OBJECT
public:
    using Reply = PaymentPipeline::Reply;

    EngineCore(EngineConfig config, Clock* injectedClock);
    ~EngineCore() override;

    // False when the engine cannot start (the audit database cannot be opened); see startError().
    bool start();
    void stop();
    QString startError() const { return startError_; }
    AuditStore* audit() { return audit_.get(); }
    TraceStore* traces() { return traces_.get(); }

    // Thread-safe: queues `work` to run on the engine thread. The work travels through a
    // std::mutex inbox, so the hand-off is visible to ThreadSanitizer, and the wake-up is a write
    // to an eventfd that a QSocketNotifier on the engine thread watches: nothing Qt allocates
    // crosses threads. One wake-up drains everything queued before it.
    void post(std::function<void()> work);
    void submitPayment(const QByteArray& json, const QString& traceId, const Reply& reply);
    CommandResult execute(const EngineCommand& command);
    Clock& clock() { return *clock_; }
    const std::vector<RolloutReportEvent>& reportEvents() const { return reportEvents_; }

Q_SIGNALS:
    void snapshotReady(tai::SnapshotPtr snapshot);

private:
    void drainInbox();

    CommandResult apply(const SetGatewayFault& command);
    CommandResult apply(const ControlBreaker& command);
    CommandResult apply(const SetLoad& command);
    CommandResult apply(const StartBurst& command);
    CommandResult apply(const RequestDeployment& command);
    CommandResult apply(const ControlRollout& command);
    CommandResult apply(const SetInfraFault& command);
    CommandResult apply(const ControlAlert& command);
    // Timeline, log and the notifiers hear of alerts firing and resolving.
    void announce(const std::vector<AlertTransition>& transitions);
    void onDeploymentAlert(Severity severity, const QString& rule, const QString& subject,
                           const QString& message);
    bool burstActive() const;

    void onTransition(const BreakerTransition& transition);
    void addTimeline(const QString& kind, const QString& subject, const QString& text);
    // An operator command: on the timeline, and in the audit trail with who, what and why.
    void recordOperator(const CommandOrigin& origin, const QString& command, const QString& subject,
                        const QString& text);
    void audit(const QString& kind, const QString& subject, const QByteArray& payload,
               const QString& traceId = {});
    void persistRollout(const QString& deployment);
    void recoverFromDatabase();
    void requestExtraSnapshot();
    void publishSnapshot();
    void scheduleSnapshots();
    void scheduleLoad();
    void scheduleSeconds();
    void closeSecond();
    QString nextTraceId();
    QString nextPaymentId();

    std::mutex inboxMutex_;
    std::vector<std::function<void()>> inbox_;
    int wakeFd_ = -1;
    QSocketNotifier* wakeNotifier_ = nullptr;

    EngineConfig config_;
    std::unique_ptr<RealClock> ownedClock_;
    Clock* clock_;
    GatewaySimulator gateway_;
    InMemoryIdempotencyStore idempotency_;
    std::unique_ptr<PaymentPipeline> pipeline_;
    std::unique_ptr<KanbanWorkerPool<Confirmation>> confirmationWorkers_;
    std::atomic<std::uint64_t> confirmed_{0};
    LoadGenerator load_;
    LoadGenerator burst_;
    TimePoint burstUntil_;

    std::deque<KpiSample> history_;
    std::shared_ptr<const std::vector<KpiSample>> hourHistory_;
    std::uint64_t rollbacks_ = 0;
    std::map<QString, TimePoint> lastRolloutEvent_;  // per deployment, for its duration
    std::deque<TimelineEvent> timeline_;
    std::map<QString, std::deque<BreakerTransition>> transitions_;  // per breaker, newest last
    std::unique_ptr<AuditStore> audit_;
    std::unique_ptr<DurableJournal> journal_;
    std::unique_ptr<class ObservedJournal> observedJournal_;
    QString startError_;
    std::unique_ptr<InfraSimulator> infra_;
    std::unique_ptr<DeploymentOrchestrator> deployments_;
    AndonBoard andon_;
    std::unique_ptr<class AlertNotifiers> notifiers_;
    std::unique_ptr<TraceStore> traces_;
    std::unique_ptr<class OtlpExporter> otlp_;
    std::function<void(const AlertTransition&)> alertSink_;
    std::vector<RolloutReportEvent> reportEvents_;
    std::uint64_t timelineSequence_ = 0;
    std::uint64_t snapshotSequence_ = 0;
    std::uint64_t lastShed_ = 0;
    std::uint64_t idCounter_ = 0;
    bool extraSnapshotPending_ = false;
    bool running_ = false;
    TimePoint startedAt_;
    TimerId snapshotTimer_ = 0;
    TimerId loadTimer_ = 0;
    TimerId secondTimer_ = 0;
};

}  // namespace tai
