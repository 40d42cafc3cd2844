#include "engine/engine.h"

#include "engine/engine_core.h"

#include "audit/audit_store.h"

#include <QPromise>

#include <future>
#include <memory>

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
    : QObject(parent), core_(new EngineCore(std::move(config), clock)) {
    qRegisterMetaType<SnapshotPtr>();
    thread_.setObjectName(QStringLiteral("tai-engine"));
    core_->moveToThread(&thread_);
    connect(
        core_, &EngineCore::snapshotReady, this, [this](const SnapshotPtr& s) { keepLatest(s); },
        Qt::DirectConnection);
}

Engine::~Engine() {
    stop();
    delete core_;  // the thread has finished: safe to delete from here
}

bool Engine::start() {
    if (started_) {
        return true;
    }
    thread_.start();
    std::promise<bool> done;
    core_->post([core = core_, &done] { done.set_value(core->start()); });
    if (!done.get_future().get()) {
        startError_ = core_->startError();
        thread_.quit();
        thread_.wait();
        return false;
    }
    started_ = true;
    auditStore_ = core_->audit();
    traceStore_ = core_->traces();
    auditDatabase_ = auditStore_ ? auditStore_->databaseName() : QString();
    return true;
}

void Engine::stop() {
    if (!started_) {
        return;
    }
    started_ = false;
    std::promise<void> done;
    core_->post([core = core_, &done] {
        core->stop();
        done.set_value();
    });
    done.get_future().wait();
    thread_.quit();
    thread_.wait();
}

void Engine::keepLatest(const SnapshotPtr& snapshot) {
    {
        std::lock_guard lock(latestMutex_);
        latest_ = snapshot;
    }
    Q_EMIT snapshotReady(snapshot);
}

SnapshotPtr Engine::latestSnapshot() const {
    std::lock_guard lock(latestMutex_);
    return latest_;
}

QFuture<PaymentResponse> Engine::submitPayment(const QByteArray& json, const QString& traceId) {
    auto promise = startedPromise<PaymentResponse>();
    QFuture<PaymentResponse> future = promise->future();
    if (!started_) {
        promise->finish();  // no result: the caller sees a cancelled-like empty future
        return future;
    }
    core_->post([core = core_, json, traceId, promise] {
        core->submitPayment(json, traceId, [promise](const PaymentResponse& response) {
            promise->addResult(response);
            promise->finish();
        });
    });
    return future;
}

QFuture<CommandResult> Engine::execute(const EngineCommand& command) {
    auto promise = startedPromise<CommandResult>();
    QFuture<CommandResult> future = promise->future();
    if (!started_) {
        promise->addResult(CommandResult::refused(QStringLiteral("engine is not running")));
        promise->finish();
        return future;
    }
    core_->post([core = core_, command, promise] {
        promise->addResult(core->execute(command));
        promise->finish();
    });
    return future;
}

CommandResult Engine::executeHere(const EngineCommand& command) {
    Q_ASSERT(QThread::currentThread() == &thread_);
    return core_->execute(command);
}

void Engine::submitHere(const QByteArray& json) {
    Q_ASSERT(QThread::currentThread() == &thread_);
    core_->submitPayment(json, QString(), [](const PaymentResponse&) {});
}

QFuture<void> Engine::invoke(std::function<void()> work) {
    auto promise = startedPromise<void>();
    QFuture<void> future = promise->future();
    core_->post([work = std::move(work), promise] {
        work();
        promise->finish();
    });
    return future;
}

}  // namespace tai
