#pragma once

#include "engine/payments_history.h"
#include "engine/reference_system.h"
#include "kanban/kanban_worker_pool.h"
#include "payments/gateway_simulator.h"
#include "payments/idempotency_store.h"
#include "payments/load_generator.h"
#include "payments/payment_pipeline.h"

#include <atomic>
#include <memory>

namespace tai {

// Reference system 1 (DESIGN.md §4): the gateway (simulated or real), the pipeline, the
// confirmation workers, generated load and bursts, idempotency keys, the payment traces and the
// KPI history behind the charts.
class PaymentsSystem final : public ReferenceSystem {
public:
    using Reply = PaymentPipeline::Reply;

    PaymentsSystem();
    ~PaymentsSystem() override;

    QString name() const override { return QStringLiteral("payments"); }
    bool start(SystemContext& context, QString* error) override;
    void stop() override;
    std::optional<CommandResult> apply(const EngineCommand& command) override;
    std::vector<OwnedBreaker> breakers() override;
    void tick() override;
    void andonInputs(AndonInputs& inputs) override;
    void contribute(EngineSnapshot& snapshot) const override;

    // A payment from outside (HTTP, the injector, a scenario event). `trace` continues an
    // incoming trace (its id, the caller's span and sampling flag, the HTTP request); an empty
    // trace id starts one.
    void submit(const QByteArray& json, const TraceContext& trace, const Reply& reply);
    // Idempotency keys kept in the durable trail, after a restart (§4.4): how many there are. None
    // is loaded; each is read from SQLite when a retry asks for it.
    std::size_t restoreKeys();
    // Hands staged confirmations to the workers (the host calls this after each burst of work).
    void flushConfirmations();
    // While `storage` is open, new payments are refused before the gateway (issue 14).
    void setStorageBreaker(const CircuitBreaker* storage) { pipeline_->setStorageBreaker(storage); }
    std::size_t repliesWaitingForCommit() const { return pipeline_->commitWaits().waiting(); }
    std::uint64_t repliesAnsweredPending() const { return pipeline_->commitWaits().answeredPending(); }
    std::uint64_t storageRefusals() const { return pipeline_->storageRefusals(); }
    // Starts the generated load (§10.1: the demo, headless --load).
    void beginLoad() { scheduleLoad(); }

private:
    CommandResult setGatewayFault(const SetGatewayFault& command);
    CommandResult setLoad(const SetLoad& command);
    CommandResult startBurst(const StartBurst& command);
    bool burstActive() const;
    void scheduleLoad();
    QString nextTraceId();
    QString nextPaymentId();

    SystemContext* context_ = nullptr;
    std::unique_ptr<GatewaySimulator> simulator_;
    std::unique_ptr<PaymentGateway> httpGateway_;    // with --gateway-url
    std::unique_ptr<IdempotencyStore> idempotency_;  // with the trail when there is one
    std::unique_ptr<PaymentPipeline> pipeline_;
    std::unique_ptr<class JournalDecisions> decisions_;
    std::unique_ptr<KanbanWorkerPool<Confirmation>> confirmationWorkers_;
    std::atomic<std::uint64_t> confirmed_{0};
    std::unique_ptr<PaymentsHistory> history_;
    std::unique_ptr<LoadGenerator> load_;
    std::unique_ptr<LoadGenerator> burst_;
    LoadProfile loadProfile_;
    TimePoint burstUntil_;
    TimerId loadTimer_ = 0;
    std::uint64_t idCounter_ = 0;
    bool running_ = false;
};

}  // namespace tai
