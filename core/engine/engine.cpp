#include "engine/engine.h"

#include "audit/audit_store.h"
#include "engine/engine_host.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <future>
#include <memory>
#include <utility>

namespace tai {

namespace {
template <typename T>
std::shared_ptr<QPromise<T>> startedPromise() {
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}
}  // namespace

Engine::Engine(EngineConfig config, QObject* parent) : Engine(std::move(config), nullptr, parent) {}

Engine::Engine(EngineConfig config, Clock& clock, QObject* parent)
    : Engine(std::move(config), &clock, parent) {}

Engine::Engine(EngineConfig config, Clock* clock, QObject* parent)
    : QObject(parent), host_(new EngineHost(std::move(config), clock)) {
    qRegisterMetaType<SnapshotPtr>();
    thread_.setObjectName(QStringLiteral("tai-engine"));
    readers_.setMaxThreadCount(2);
    readers_.setObjectName(QStringLiteral("tai-readers"));
    host_->moveToThread(&thread_);
    // Connected before the thread first starts (pthread_create orders it for TSan).
    connect(
        &thread_, &QThread::finished, &thread_,
        [this] {
            std::lock_guard lock(joinMutex_);
            std::promise<void>* joining = std::exchange(joining_, nullptr);
            if (joining != nullptr) {
                joining->set_value();
            }
        },
        Qt::DirectConnection);
    connect(
        host_, &EngineHost::snapshotReady, this, [this](const SnapshotPtr& s) { keepLatest(s); },
        Qt::DirectConnection);
}

Engine::~Engine() {
    stop();
    delete host_;  // the thread has finished: safe to delete from here
}

bool Engine::start() {
    if (started_) {
        return true;
    }
    thread_.start();
    std::promise<bool> done;
    host_->post([host = host_, &done] { done.set_value(host->start()); });
    if (!done.get_future().get()) {
        startError_ = host_->startError();
        std::promise<void> stopped;
        host_->post([host = host_, &stopped] {
            host->stop();
            stopped.set_value();
        });
        stopped.get_future().wait();
        joinThread();
        return false;
    }
    started_ = true;
    {
        std::lock_guard lock(storesMutex_);
        audit_ = host_->audit();
        traces_ = host_->traces();
    }
    auditDatabase_ = audit_ ? audit_->databaseName() : QString();
    return true;
}

void Engine::stop() {
    if (!started_) {
        return;
    }
    started_ = false;
    readers_.waitForDone();  // no read in flight outlives the stores it reads
    std::promise<void> done;
    host_->post([host = host_, &done] {
        host->stop();
        done.set_value();
    });
    done.get_future().wait();
    joinThread();
    std::lock_guard lock(storesMutex_);
    audit_.reset();
}

// QThread::wait() waits on a futex inside libQt6Core, which TSan cannot see; the engine thread's
// last steps (the inbox's after-drain hook, say) would then look like races with the deletes
// that follow. The thread's own `finished`, run on it after its loop ends, hands back through a
// std::promise instead.
void Engine::joinThread() {
    std::promise<void> finished;
    {
        std::lock_guard lock(joinMutex_);
        joining_ = &finished;
    }
    thread_.quit();
    finished.get_future().wait();
    { std::lock_guard lock(joinMutex_); }  // after the thread's unlock: its last touch of us
    thread_.wait();
}

void Engine::keepLatest(const SnapshotPtr& snapshot) {
    {
        std::lock_guard lock(latestMutex_);
        latest_ = snapshot;
    }
    Q_EMIT snapshotReady(snapshot);
    Q_EMIT snapshotAvailable();
}

SnapshotPtr Engine::latestSnapshot() const {
    std::lock_guard lock(latestMutex_);
    return latest_;
}

QFuture<PaymentResponse> Engine::submitPayment(const QByteArray& json, const TraceContext& trace) {
    auto promise = startedPromise<PaymentResponse>();
    QFuture<PaymentResponse> future = promise->future();
    if (!started_) {
        promise->finish();  // no result: the caller sees a cancelled-like empty future
        return future;
    }
    submitPayment(json, trace, [promise](const PaymentResponse& response) {
        promise->addResult(response);
        promise->finish();
    });
    return future;
}

void Engine::submitPayment(const QByteArray& json, const TraceContext& trace,
                           std::function<void(const PaymentResponse&)> decided) {
    host_->post([host = host_, json, trace, decided = std::move(decided)] {
        host->submitPayment(json, trace, decided);
    });
}

QFuture<CommandResult> Engine::execute(const EngineCommand& command) {
    auto promise = startedPromise<CommandResult>();
    QFuture<CommandResult> future = promise->future();
    if (!started_) {
        promise->addResult(CommandResult::refused(conflict(QStringLiteral("the engine is not running"))));
        promise->finish();
        return future;
    }
    execute(command, [promise](const CommandResult& result) {
        promise->addResult(result);
        promise->finish();
    });
    return future;
}

void Engine::execute(const EngineCommand& command, std::function<void(const CommandResult&)> done) {
    host_->post([host = host_, command, done = std::move(done)] { done(host->execute(command)); });
}

CommandResult Engine::executeHere(const EngineCommand& command) {
    Q_ASSERT(QThread::currentThread() == &thread_);
    return host_->execute(command);
}

void Engine::submitHere(const QByteArray& json) {
    Q_ASSERT(QThread::currentThread() == &thread_);
    host_->submitPayment(json, TraceContext(), [](const PaymentResponse&) {});
}

void Engine::setApiUrl(const QString& url) {
    host_->post([host = host_, url] { host->setApiUrl(url); });
}

QFuture<void> Engine::invoke(std::function<void()> work) {
    auto promise = startedPromise<void>();
    QFuture<void> future = promise->future();
    host_->post([work = std::move(work), promise] {
        work();
        promise->finish();
    });
    return future;
}

std::shared_ptr<AuditStore> Engine::audit() const {
    std::lock_guard lock(storesMutex_);
    return audit_;
}

std::shared_ptr<TraceStore> Engine::traces() const {
    std::lock_guard lock(storesMutex_);
    return traces_;
}

void Engine::read(std::function<void()> work) const {
    readers_.start(std::move(work));
}

AuditPage Engine::readAudit(const AuditQuery& query) const {
    const auto store = audit();
    if (!store) {
        return {{}, QStringLiteral("no audit trail: the engine runs without one")};
    }
    AuditPage page;
    page.records = store->query(query, &page.error);
    return page;
}

std::vector<std::shared_ptr<const KeptTrace>> Engine::readTraces(const TraceQuery& query) const {
    const auto store = traces();
    return store ? store->search(query) : std::vector<std::shared_ptr<const KeptTrace>>{};
}

std::shared_ptr<const KeptTrace> Engine::readTrace(const QString& traceId) const {
    const auto store = traces();
    return store ? store->find(traceId) : nullptr;
}

QFuture<AuditPage> Engine::queryAudit(const AuditQuery& query) const {
    return QtConcurrent::run(&readers_, [this, query] { return readAudit(query); });
}

QFuture<AuditExport> Engine::exportAudit(const AuditQuery& query, const QString& format,
                                         const QString& file) const {
    return QtConcurrent::run(&readers_, [store = audit(), query, format, file] {
        AuditExport result;
        if (!store) {
            result.error = QStringLiteral("no audit trail: the engine runs without one");
            return result;
        }
        result.rows = store->exportTo(query, format, file, &result.error);
        return result;
    });
}

QFuture<void> Engine::flushAudit() const {
    return QtConcurrent::run(&readers_, [store = audit()] {
        if (store) {
            store->flush();
        }
    });
}

QFuture<std::vector<std::shared_ptr<const KeptTrace>>> Engine::findTraces(const TraceQuery& query) const {
    return QtConcurrent::run(&readers_, [this, query] { return readTraces(query); });
}

}  // namespace tai
