#pragma once

#include "audit/audit_types.h"
#include "engine/engine_command.h"
#include "engine/engine_config.h"
#include "engine/engine_snapshot.h"
#include "payments/payment_response.h"
#include "trace/trace_context.h"
#include "trace/trace_store.h"

#include <QFuture>
#include <QObject>
#include <QThread>
#include <QThreadPool>

#include <functional>
#include <future>
#include <memory>
#include <mutex>

namespace tai {

class AuditStore;
class Clock;
class EngineHost;

// A page of the audit trail, or why it could not be read.
struct AuditPage {
    std::vector<AuditRecord> records;
    QString error;
};

// What an export wrote: rows, or an error.
struct AuditExport {
    std::int64_t rows = 0;
    QString error;
};

// The engine's public face, used from any thread (GUI, HTTP, CLI). Work runs on the engine's
// own thread; results come back as futures or callbacks, state as immutable snapshots
// (DESIGN.md §3). Nothing here hands out a pointer into the engine: reads of the audit trail and
// the trace store run on a reader thread of their own, never on the caller's.
class Engine : public QObject {
    Q_OBJECT
public:
    // Real time. The engine creates its RealClock on its own thread.
    explicit Engine(EngineConfig config, QObject* parent = nullptr);
    // An injected clock (a VirtualClock in tests and scenarios), driven through invoke().
    Engine(EngineConfig config, Clock& clock, QObject* parent = nullptr);
    ~Engine() override;

    // False when the engine could not start (startError() says why); nothing then runs.
    bool start();
    void stop();  // idempotent; also done by the destructor
    QString startError() const { return startError_; }
    // The audit database (file path or in-memory URI), empty without one. Readable from any thread.
    QString auditDatabase() const { return auditDatabase_; }
    bool hasAudit() const { return !auditDatabase_.isEmpty(); }

    // `trace` continues an incoming W3C trace: a trace id (32 lowercase hex), or what a
    // traceparent and the HTTP request said; an empty id starts a new one.
    QFuture<PaymentResponse> submitPayment(const QByteArray& json, const TraceContext& trace = {});
    // The same, answered by a callback on the engine thread (the HTTP server's path: no future).
    void submitPayment(const QByteArray& json, const TraceContext& trace,
                       std::function<void(const PaymentResponse&)> decided);
    QFuture<CommandResult> execute(const EngineCommand& command);
    void execute(const EngineCommand& command, std::function<void(const CommandResult&)> done);
    // Runs `work` on the engine thread, after everything posted before it.
    QFuture<void> invoke(std::function<void()> work);
    // The HTTP API's address (http://HOST:PORT) once it listens: alerts sent out link back to it.
    void setApiUrl(const QString& url);

    // Only inside invoke(), on the engine thread: a command or a payment, run at once. Scenario
    // timelines use these so that an event lands exactly between two clock advances.
    CommandResult executeHere(const EngineCommand& command);
    void submitHere(const QByteArray& json);

    SnapshotPtr latestSnapshot() const;

    // The audit trail and the kept traces, read off the caller's thread.
    QFuture<AuditPage> queryAudit(const AuditQuery& query) const;
    QFuture<AuditExport> exportAudit(const AuditQuery& query, const QString& format,
                                     const QString& file) const;
    QFuture<std::vector<std::shared_ptr<const KeptTrace>>> findTraces(const TraceQuery& query) const;
    // Finishes when everything written to the audit trail so far is committed.
    QFuture<void> flushAudit() const;
    // Runs `work` on the engine's reader thread, where the blocking reads below belong.
    void read(std::function<void()> work) const;
    // Blocking reads, for work already on a reader thread (the HTTP API's trace routes).
    AuditPage readAudit(const AuditQuery& query) const;
    std::vector<std::shared_ptr<const KeptTrace>> readTraces(const TraceQuery& query) const;
    std::shared_ptr<const KeptTrace> readTrace(const QString& traceId) const;

Q_SIGNALS:
    // Emitted on the engine thread; connect with a queued (or auto) connection.
    void snapshotReady(tai::SnapshotPtr snapshot);
    // The same moment without the snapshot: read it with latestSnapshot(). For receivers on
    // another thread, so that the snapshot is handed over through latestSnapshot()'s mutex,
    // which TSan sees, rather than through Qt's posted-event queue, which it cannot.
    void snapshotAvailable();

private:
    Engine(EngineConfig config, Clock* clock, QObject* parent);
    void joinThread();  // quits the engine thread and waits for it, visibly to TSan
    std::mutex joinMutex_;
    std::promise<void>* joining_ = nullptr;  // under joinMutex_: set while joinThread() waits
    void keepLatest(const SnapshotPtr& snapshot);
    std::shared_ptr<AuditStore> audit() const;
    std::shared_ptr<TraceStore> traces() const;

    QThread thread_;
    EngineHost* host_;  // lives on thread_, deleted there
    mutable QThreadPool readers_;
    mutable std::mutex latestMutex_;
    SnapshotPtr latest_;
    bool started_ = false;
    QString startError_;
    QString auditDatabase_;
    mutable std::mutex storesMutex_;
    std::shared_ptr<AuditStore> audit_;
    std::shared_ptr<TraceStore> traces_;
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::AuditPage)
