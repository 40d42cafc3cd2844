#pragma once

#include "heijunka/least_loaded_dispatcher.h"
#include "heijunka/token_bucket.h"
#include "jidoka/circuit_breaker.h"
#include "kaizen/kaizen_metrics.h"
#include "kanban/kanban_queue.h"
#include "payments/commit_waits.h"
#include "payments/fraud_policy.h"
#include "payments/idempotency_store.h"
#include "payments/payment_gateway.h"
#include "payments/payment_response.h"
#include "payments/payment_trace.h"
#include "trace/trace_context.h"
#include "trace/trace_sampler.h"

#include <QSet>

#include <functional>

namespace tai {

// Post-charge work for the confirmation workers (§4.3 step 5).
struct Confirmation {
    QString paymentId;
    QString receiptId;
    QString merchantId;
    std::int64_t amountMinor = 0;
};

// Where decisions go to be made durable (§7). record() must call `release` once the decision,
// and the idempotency record if any, is committed; only then is the response given out.
class DecisionJournal {
public:
    virtual ~DecisionJournal() = default;
    virtual void record(const PaymentSignal& signal, const PaymentResponse& response,
                        const IdempotencyRecord* key, std::function<void()> release) = 0;
    // Whether `release` waits for a commit to disk, which can fail for as long as the disk does:
    // then a reply waits at most the action timeout (CommitWaits).
    virtual bool durable() const { return false; }
};

// Signal → Policy → Action for payments (§4.3), on one thread and one injected clock:
//   validate → idempotency → fraud policy → admission Kanban → token bucket + least-loaded lane
//   → payment-gateway breaker → gateway call with timeout → confirmation Kanban → reply.
// Gateway calls complete on clock timers, so nothing blocks and a VirtualClock replays it exactly.
class PaymentPipeline final : private GatewayAnswers {
public:
    using Reply = std::function<void(const PaymentResponse&)>;
    static constexpr int kGatewayLanes = 8;

    PaymentPipeline(const PaymentsConfig& config, Clock& clock, PaymentGateway& gateway,
                    IdempotencyStore& idempotency);
    ~PaymentPipeline() override;
    PaymentPipeline(const PaymentPipeline&) = delete;
    PaymentPipeline& operator=(const PaymentPipeline&) = delete;

    // `signal.id` must be set (given or generated). The reply may run before submit() returns.
    // `trace` names the trace (a bare trace id for signals started inside the process) and, for
    // one that came over HTTP, its caller's span, sampling flag and request.
    void submit(PaymentSignal signal, TraceContext trace, Reply reply);
    void submitInvalid(QString id, TraceContext trace, const QString& field, const QString& error,
                       Reply reply);

    void reconfigure(const PaymentsConfig& config);  // a new policy version
    // With a journal every response waits for its commit; without one (replay, tests) it is immediate.
    void setJournal(DecisionJournal* journal) { journal_ = journal; }
    // The breaker over the durable store (issue 14): while it is open, new payments are refused
    // before the gateway (503, Retry-After), since nothing charged now could be recorded.
    void setStorageBreaker(const CircuitBreaker* storage) { storage_ = storage; }
    const CommitWaits& commitWaits() const { return commitWaits_; }
    // Payments answered while the storage breaker was open (refused, or invalid): not audited
    // one by one, since the store could not take their rows; counted here instead.
    std::uint64_t storageRefusals() const { return storageRefusals_; }
    const PaymentsConfig& config() const { return config_; }

    CircuitBreaker& breaker() { return breaker_; }
    const CircuitBreaker& breaker() const { return breaker_; }
    KanbanQueue<Confirmation>& confirmations() { return confirmations_; }
    // Confirmations are handed to the workers in batches (one lock, one wake-up): when a batch
    // is full, when the owner calls this at the end of a burst of work, and at the latest 5 ms
    // after the first staged one.
    void flushConfirmations();
    KanbanCounters admissionCounters() const { return admission_.counters(); }
    const LeastLoadedDispatcher& lanes() const { return lanes_; }
    double tokenFill() { return bucket_.fill(clock_.now()); }
    const KaizenMetrics& metrics() const { return metrics_; }
    KaizenMetrics& metrics() { return metrics_; }
    const FraudPolicy& policy() const { return policy_; }

    // Tracing (§12): the sampler decides up front, unless an incoming traceparent did (its sampled
    // flag decides: ParentBased sampling); rejections and failures are kept regardless. Kept
    // traces go to `sink` on this thread. Without a sink nothing is traced.
    using TraceSink = std::function<void(std::shared_ptr<const PaymentTrace>)>;
    void setTracing(TraceSampler sampler, TraceSink sink) {
        sampler_ = sampler;
        traceSink_ = std::move(sink);
    }

private:
    struct Pending {
        PaymentSignal signal;
        QString traceId;
        std::uint64_t parentSpanId = 0;  // the caller's span (traceparent), 0 for none
        TraceContext::Parent parent = TraceContext::Parent::None;
        std::shared_ptr<const HttpServerCall> http;  // set when it came over HTTP
        TimePoint receivedAt;
        PolicyDecision decision;
        QByteArray canonicalHash;
        Reply reply;
        bool answerBeforeCommit = false;  // refused by the storage breaker: nothing to wait for
        // For the trace, when tracing is on.
        bool sampled = false;
        TimePoint policyDone;
        TimePoint dispatchedAt;
        std::size_t queuePosition = 0;
        bool dispatched = false;
        bool breakerAllowed = true;
        BreakerState breakerAtDispatch = BreakerState::Closed;
        int gatewayHttpStatus = 0;
        QString gatewayErrorType;
    };
    friend std::shared_ptr<PaymentTrace> buildPaymentTrace(const PaymentPipeline& pipeline,
                                                           const Pending& pending,
                                                           const PaymentResponse& response, TimePoint end);

    // A gateway call in flight. Slots are reused, so a call costs no allocation; the call id
    // carries the slot and a generation, so a late answer for a finished call is ignored.
    struct InFlight {
        Pending pending;
        BreakerPermit permit;
        int lane = 0;
        BreakerState stateAtDispatch = BreakerState::Closed;
        TimerId timeout = 0;
        std::uint64_t call = 0;              // 0: the slot is free
        std::optional<TimePoint> startedAt;  // only for a breaker that judges slow calls
    };

    void pump();
    void dispatch(Pending pending);
    void gatewayAnswered(std::uint64_t call, const GatewayCallResult& result) override;
    void timedOut(std::uint64_t call);
    InFlight* inFlight(std::uint64_t call);
    void complete(InFlight& flight, const GatewayCallResult& result, bool timedOut, bool answeredAtOnce);
    void finish(Pending& pending, PaymentResponse response);
    // Gives `response` to `reply` once its decision is durable (at once without a journal).
    void answer(const PaymentSignal& signal, const PaymentResponse& response, const IdempotencyRecord* stored,
                Reply reply);
    static void adoptTrace(Pending& pending, TraceContext&& trace);
    void stageConfirmation(Confirmation confirmation);
    PaymentResponse baseResponse(const Pending& pending) const;

    PaymentsConfig config_;
    Clock& clock_;
    PaymentGateway& gateway_;
    IdempotencyStore& idempotency_;
    FraudPolicy policy_;
    CircuitBreaker breaker_;
    KanbanQueue<Pending> admission_;
    KanbanQueue<Confirmation> confirmations_;
    TokenBucket bucket_;
    LeastLoadedDispatcher lanes_;
    KaizenMetrics metrics_;
    QSet<QString> keysInFlight_;
    std::vector<InFlight> calls_;
    std::vector<std::uint32_t> freeCalls_;
    std::uint32_t callGeneration_ = 0;
    TimerId dispatchTimer_ = 0;
    std::vector<Confirmation> confirmationBatch_;
    TimerId confirmationFlushTimer_ = 0;
    DecisionJournal* journal_ = nullptr;
    const CircuitBreaker* storage_ = nullptr;
    CommitWaits commitWaits_;
    std::uint64_t storageRefusals_ = 0;
    TraceSampler sampler_;
    TraceSink traceSink_;
    TimePoint lastPurge_;
    std::shared_ptr<const std::vector<SpanAttribute>> gatewayAttributes_;  // the gateway's, for its spans
};

}  // namespace tai
