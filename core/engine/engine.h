#pragma once

#include "engine/engine_command.h"
#include "engine/engine_config.h"
#include "engine/engine_snapshot.h"
#include "payments/payment_response.h"

#include <QFuture>
#include <QObject>
#include <QThread>

#include <functional>
#include <mutex>

namespace tai {

class Clock;
class EngineCore;

// The engine's public face, used from any thread (GUI, HTTP, CLI). Work runs on the engine's
// own thread; results come back as futures, state as immutable snapshots (DESIGN.md §3).
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
    class AuditStore* auditStore() const {
        return auditStore_;
    }

    // `traceId` continues an incoming W3C trace (32 lowercase hex); empty starts a new one.
    QFuture<PaymentResponse> submitPayment(const QByteArray& json, const QString& traceId = {});
    QFuture<CommandResult> execute(const EngineCommand& command);
    // Runs `work` on the engine thread, after everything posted before it.
    QFuture<void> invoke(std::function<void()> work);

    // Only inside invoke(), on the engine thread: a command or a payment, run at once. Scenario
    // timelines use these so that an event lands exactly between two clock advances.
    CommandResult executeHere(const EngineCommand& command);
    void submitHere(const QByteArray& json);

    SnapshotPtr latestSnapshot() const;
    // Kept payment traces (§12), readable from any thread.
    class TraceStore* traceStore() const {
        return traceStore_;
    }

Q_SIGNALS:
    // Emitted on the engine thread; connect with a queued (or auto) connection.
    void snapshotReady(tai::SnapshotPtr snapshot);

private:
    Engine(EngineConfig config, Clock* clock, QObject* parent);
    void keepLatest(const SnapshotPtr& snapshot);

    QThread thread_;
    EngineCore* core_;  // lives on thread_, deleted there
    mutable std::mutex latestMutex_;
    SnapshotPtr latest_;
    bool started_ = false;
    QString startError_;
    QString auditDatabase_;
    class AuditStore* auditStore_ = nullptr;
    class TraceStore* traceStore_ = nullptr;
};

}  // namespace tai
