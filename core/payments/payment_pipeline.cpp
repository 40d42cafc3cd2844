#include "payments/payment_pipeline.h"

#include "base/seeded_random.h"

namespace tai {

std::shared_ptr<PaymentTrace> buildPaymentTrace(const PaymentPipeline& pipeline,
                                                const PaymentPipeline::Pending& pending,
                                                const PaymentResponse& response, TimePoint end);

using namespace std::chrono_literals;

namespace {
constexpr std::size_t kGatewayWipLimit = 1 << 20;
constexpr std::size_t kConfirmationBatch = 64;
constexpr Duration kConfirmationFlushDelay =
    std::chrono::milliseconds(5);  // in-flight calls; the bucket and breaker bound them first

// §12: rejections and errors are kept whatever the sampler says.
bool isAlwaysTraced(PaymentOutcome outcome) {
    return outcome != PaymentOutcome::Charged && outcome != PaymentOutcome::Duplicate;
}

QStringList outcomeNames() {
    QStringList names;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        names << toString(static_cast<PaymentOutcome>(i));
    }
    return names;
}
}  // namespace

PaymentPipeline::PaymentPipeline(const PaymentsConfig& config, Clock& clock, PaymentGateway& gateway,
                                 IdempotencyStore& idempotency)
    : config_(config),
      clock_(clock),
      gateway_(gateway),
      idempotency_(idempotency),
      policy_(config),
      breaker_(QStringLiteral("payment-gateway"), config.breaker, clock),
      admission_(static_cast<std::size_t>(config.admissionQueueCapacity), kGatewayWipLimit),
      confirmations_(static_cast<std::size_t>(config.confirmationQueueCapacity), 64),
      bucket_(config.gatewayRatePerS, config.gatewayBurst, clock.now()),
      lanes_(kGatewayLanes),
      metrics_(outcomeNames()),
      commitWaits_(clock, std::chrono::seconds(config.actionTimeoutS)),
      lastPurge_(clock.now()),
      gatewayAttributes_(std::make_shared<const std::vector<SpanAttribute>>(gateway.callAttributes())) {}

void PaymentPipeline::adoptTrace(Pending& pending, TraceContext&& trace) {
    pending.traceId = std::move(trace.traceId);
    pending.parentSpanId = trace.parentSpanId;
    pending.parent = trace.parent;
    pending.http = std::move(trace.http);
}

PaymentPipeline::~PaymentPipeline() {
    for (const TimerId timer : {dispatchTimer_, confirmationFlushTimer_}) {
        if (timer != 0) {
            clock_.cancel(timer);
        }
    }
    for (const InFlight& flight : calls_) {
        if (flight.call != 0) {
            gateway_.cancel(flight.call);  // no answer may reach a pipeline that is gone
            if (flight.timeout != 0) {
                clock_.cancel(flight.timeout);
            }
        }
    }
}

void PaymentPipeline::stageConfirmation(Confirmation confirmation) {
    if (confirmationBatch_.capacity() == 0) {
        confirmationBatch_.reserve(kConfirmationBatch);
    }
    confirmationBatch_.push_back(std::move(confirmation));
    if (confirmationBatch_.size() >= kConfirmationBatch) {
        flushConfirmations();
    } else if (confirmationFlushTimer_ == 0) {
        // The engine flushes at the end of each burst of work; this bounds the wait otherwise.
        confirmationFlushTimer_ = clock_.scheduleAfter(kConfirmationFlushDelay, [this] {
            confirmationFlushTimer_ = 0;
            flushConfirmations();
        });
    }
}

void PaymentPipeline::flushConfirmations() {
    if (!confirmationBatch_.empty()) {
        confirmations_.tryPushAll(confirmationBatch_);  // a full queue sheds, and counts it
    }
}

void PaymentPipeline::reconfigure(const PaymentsConfig& config) {
    config_ = config;
    policy_.reconfigure(config);
    breaker_.setConfig(config.breaker);
    commitWaits_.setPatience(std::chrono::seconds(config.actionTimeoutS));
    admission_.setCapacity(static_cast<std::size_t>(config.admissionQueueCapacity));
    confirmations_.setCapacity(static_cast<std::size_t>(config.confirmationQueueCapacity));
    bucket_.reconfigure(config.gatewayRatePerS, config.gatewayBurst);
}

PaymentResponse PaymentPipeline::baseResponse(const Pending& pending) const {
    PaymentResponse response;
    response.id = pending.signal.id;
    response.traceId = pending.traceId;
    response.policyRan = true;
    response.score = pending.decision.score;
    response.reasons = policy_.reasonsOf(pending.decision);
    return response;
}

void PaymentPipeline::submitInvalid(QString id, TraceContext trace, const QString& field,
                                    const QString& error, Reply reply) {
    PaymentResponse response;
    response.outcome = PaymentOutcome::Invalid;
    response.id = std::move(id);
    response.traceId = trace.traceId;
    response.error = error;
    response.errorField = field;
    response.breakerAfter = breaker_.state();
    metrics_.record(static_cast<int>(PaymentOutcome::Invalid), clock_.now());
    if (traceSink_) {
        Pending pending;
        pending.signal.id = response.id;
        adoptTrace(pending, std::move(trace));
        pending.receivedAt = clock_.now();
        traceSink_(buildPaymentTrace(*this, pending, response, pending.receivedAt));
    }
    if (storage_ != nullptr && storage_->state() == BreakerState::Open) {
        ++storageRefusals_;  // changed nothing, and the store cannot take its row now
        reply(response);
        return;
    }
    PaymentSignal unknown;
    unknown.id = response.id;
    answer(unknown, response, nullptr, std::move(reply));
}

void PaymentPipeline::submit(PaymentSignal signal, TraceContext trace, Reply reply) {
    const TimePoint now = clock_.now();
    if (now - lastPurge_ >= 1h) {
        idempotency_.purgeExpired(now);
        lastPurge_ = now;
    }
    Pending pending;
    pending.signal = std::move(signal);
    adoptTrace(pending, std::move(trace));
    pending.receivedAt = now;
    pending.reply = std::move(reply);
    if (traceSink_) {
        switch (pending.parent) {
            case TraceContext::Parent::Sampled:
                pending.sampled = true;
                break;
            case TraceContext::Parent::NotSampled:
                pending.sampled = false;
                break;
            case TraceContext::Parent::None:
                pending.sampled =
                    sampler_.sample(sampler_.needsHash() ? SeededRandom::hash(pending.traceId) : 0, now);
                break;
        }
        pending.queuePosition = admission_.depth();
    }

    if (storage_ != nullptr && storage_->state() == BreakerState::Open) {
        // Whatever happened now could not be recorded: refuse before the idempotency lookup, the
        // policy and the gateway, and answer at once (issue 14). A retry of a key comes back later.
        const std::optional<TimePoint> halfOpenAt = storage_->status().halfOpenAt;
        pending.answerBeforeCommit = true;
        finish(pending,
               storageRefusal(pending.signal.id, pending.traceId,
                              halfOpenAt ? std::max<Duration>(1s, *halfOpenAt - now) : Duration(1s)));
        return;
    }

    if (const auto& key = pending.signal.idempotencyKey) {
        pending.canonicalHash = canonicalPaymentHash(pending.signal);
        PaymentResponse response;
        response.id = pending.signal.id;
        response.traceId = pending.traceId;
        if (keysInFlight_.contains(*key)) {
            // Nothing is stored yet; evaluating it again could charge twice.
            response.outcome = PaymentOutcome::IdempotencyConflict;
            response.error =
                QStringLiteral("idempotency_key: a request with this key is still being processed");
            response.errorField = QStringLiteral("idempotency_key");
            finish(pending, std::move(response));
            return;
        }
        IdempotencyFind found = idempotency_.find(*key, now);
        if (found.unavailable) {
            // Whether this key was charged cannot be read now: refuse before the gateway, never
            // evaluate it as new.
            response.outcome = PaymentOutcome::CircuitOpen;
            response.retryAfter = std::chrono::seconds(1);
            response.error = QStringLiteral(
                "idempotency_key: the stored keys cannot be read now; nothing was charged, retry with the "
                "same key");
            response.errorField = QStringLiteral("idempotency_key");
            finish(pending, std::move(response));
            return;
        }
        if (auto& stored = found.record) {
            if (stored->canonicalHash == pending.canonicalHash) {
                response = stored->response;
                response.original = stored->response.outcome;
                response.outcome = PaymentOutcome::Duplicate;
                response.id = pending.signal.id;
            } else {
                response.outcome = PaymentOutcome::IdempotencyConflict;
                response.error =
                    QStringLiteral("idempotency_key: already used with a different request body");
                response.errorField = QStringLiteral("idempotency_key");
            }
            finish(pending, std::move(response));
            return;
        }
    }

    pending.decision = policy_.evaluate(pending.signal, now);
    pending.policyDone = pending.sampled ? clock_.now() : now;
    if (pending.decision.rejected) {
        PaymentResponse response = baseResponse(pending);
        response.outcome = PaymentOutcome::Rejected;
        finish(pending, std::move(response));
        return;
    }

    const QString key = pending.signal.idempotencyKey.value_or(QString());
    if (!key.isEmpty()) {
        keysInFlight_.insert(key);
    }
    // Fast path: nothing waits, WIP allows and a token is there, so the signal goes straight to
    // dispatch without a trip through the queue.
    if (admission_.tryStartDirectly()) {
        if (bucket_.tryTake(now)) {
            dispatch(std::move(pending));
            return;
        }
        admission_.cancelStart();
    }
    if (!admission_.tryPush(std::move(pending))) {
        PaymentResponse response = baseResponse(pending);
        response.outcome = PaymentOutcome::QueueFull;
        response.retryAfter = 1s;
        finish(pending, std::move(response));
        return;
    }
    pump();
}

void PaymentPipeline::pump() {
    // Heijunka: one token per gateway call. Excess waits in the admission queue (never dropped)
    // until a timer at the next token's time resumes dispatch.
    while (admission_.canPull()) {
        const TimePoint now = clock_.now();
        if (!bucket_.tryTake(now)) {
            if (dispatchTimer_ == 0) {
                dispatchTimer_ = clock_.schedule(now + bucket_.timeUntilToken(now), [this] {
                    dispatchTimer_ = 0;
                    pump();
                });
            }
            return;
        }
        auto next = admission_.tryPull();
        if (!next) {
            return;
        }
        dispatch(std::move(*next));
    }
}

void PaymentPipeline::dispatch(Pending pending) {
    const int lane = lanes_.acquire();
    const BreakerPermit permit = breaker_.tryAcquire();
    if (traceSink_) {
        pending.dispatched = true;
        pending.dispatchedAt = clock_.now();
        pending.breakerAllowed = permit.allowed;
        pending.breakerAtDispatch = breaker_.state();
    }
    if (!permit.allowed) {
        lanes_.release(lane);
        admission_.done();
        PaymentResponse response = baseResponse(pending);
        response.outcome = PaymentOutcome::CircuitOpen;
        response.retryAfter = permit.retryAfter;
        response.breakerAfter = breaker_.state();
        finish(pending, std::move(response));
        return;
    }

    std::uint32_t slot = 0;
    if (freeCalls_.empty()) {
        slot = static_cast<std::uint32_t>(calls_.size());
        calls_.emplace_back();
    } else {
        slot = freeCalls_.back();
        freeCalls_.pop_back();
    }
    const std::uint64_t call = (std::uint64_t{++callGeneration_ | 1u} << 32) | slot;
    InFlight& flight = calls_[slot];
    flight.pending = std::move(pending);
    flight.permit = permit;
    flight.lane = lane;
    flight.stateAtDispatch = breaker_.state();  // while in flight, this is the state "after this signal"
    flight.call = call;
    flight.timeout = 0;
    flight.startedAt = breaker_.judgesDurations() ? std::optional<TimePoint>(clock_.now()) : std::nullopt;
    const GatewayCallTrace trace{flight.pending.traceId, flight.pending.sampled};
    gateway_.charge(flight.pending.signal, trace, call, *this);
    if (InFlight* waiting = inFlight(call)) {
        waiting->timeout = clock_.scheduleAfter(std::chrono::seconds(config_.actionTimeoutS),
                                                [this, call] { timedOut(call); });
    }
}

PaymentPipeline::InFlight* PaymentPipeline::inFlight(std::uint64_t call) {
    const auto slot = static_cast<std::uint32_t>(call & 0xffff'ffffu);
    if (slot >= calls_.size() || calls_[slot].call != call) {
        return nullptr;
    }
    return &calls_[slot];
}

void PaymentPipeline::gatewayAnswered(std::uint64_t call, const GatewayCallResult& result) {
    InFlight* flight = inFlight(call);
    if (flight == nullptr) {
        return;  // the call already ended (its timeout came first)
    }
    const bool atOnce = flight->timeout == 0;  // answered inside charge(), before any timer was set
    if (flight->timeout != 0) {
        clock_.cancel(flight->timeout);
    }
    complete(*flight, result, false, atOnce);
    if (!atOnce) {
        pump();  // a finished call frees WIP
    }
}

void PaymentPipeline::timedOut(std::uint64_t call) {
    InFlight* flight = inFlight(call);
    if (flight == nullptr) {
        return;
    }
    flight->timeout = 0;
    gateway_.cancel(call);
    GatewayCallResult hung;
    hung.kind = GatewayCallKind::Timeout;
    complete(*flight, hung, true, false);
    pump();
}

void PaymentPipeline::complete(InFlight& flight, const GatewayCallResult& call, bool timedOut,
                               bool answeredAtOnce) {
    Pending pending = std::move(flight.pending);
    const BreakerPermit permit = flight.permit;
    const int lane = flight.lane;
    const BreakerState stateWhileInFlight = flight.stateAtDispatch;
    const Duration took = flight.startedAt ? clock_.now() - *flight.startedAt : Duration{0};
    const auto slot = static_cast<std::uint32_t>(flight.call & 0xffff'ffffu);
    flight.call = 0;
    flight.timeout = 0;
    freeCalls_.push_back(slot);

    if (traceSink_) {
        pending.gatewayHttpStatus = call.httpStatus;
        pending.gatewayErrorType = call.errorType;
    }
    PaymentResponse response = baseResponse(pending);
    if (timedOut || call.kind == GatewayCallKind::Timeout) {
        breaker_.onFailure(permit, took);
        response.outcome = PaymentOutcome::GatewayTimeout;
        response.error = QStringLiteral("gateway did not answer within %1 s").arg(config_.actionTimeoutS);
    } else if (call.kind == GatewayCallKind::Error) {
        breaker_.onFailure(permit, took);
        response.outcome = PaymentOutcome::GatewayError;
        response.error = call.error;
    } else {
        breaker_.onSuccess(permit, took);
        response.outcome = PaymentOutcome::Charged;
        response.receiptId = call.receiptId;
        // Follow-up work is asynchronous; the charge itself is already decided and recorded.
        Confirmation confirmation{pending.signal.id, call.receiptId, pending.signal.merchantId,
                                  pending.signal.amountMinor};
        stageConfirmation(std::move(confirmation));
    }
    lanes_.release(lane);
    admission_.done();
    response.breakerAfter = answeredAtOnce ? breaker_.state() : stateWhileInFlight;
    finish(pending, std::move(response));
}

void PaymentPipeline::finish(Pending& pending, PaymentResponse response) {
    const TimePoint now = clock_.now();
    response.processing = now - pending.receivedAt;
    if (response.outcome != PaymentOutcome::CircuitOpen && response.outcome != PaymentOutcome::Charged &&
        response.outcome != PaymentOutcome::GatewayError &&
        response.outcome != PaymentOutcome::GatewayTimeout) {
        response.breakerAfter = breaker_.state();
    }
    metrics_.record(static_cast<int>(response.outcome), now);
    metrics_.recordLatency(response.processing);
    if (traceSink_ && (pending.sampled || isAlwaysTraced(response.outcome))) {
        traceSink_(buildPaymentTrace(*this, pending, response, now));
    }
    std::optional<IdempotencyRecord> stored;
    if (const auto& key = pending.signal.idempotencyKey) {
        if (response.outcome != PaymentOutcome::Duplicate &&
            response.outcome != PaymentOutcome::IdempotencyConflict) {
            keysInFlight_.remove(*key);
        }
        if (isStoredForIdempotency(response.outcome)) {
            stored = IdempotencyRecord{pending.canonicalHash, response, now};
            idempotency_.put(*key, *stored);
        }
    }
    if (pending.answerBeforeCommit) {
        // Refused by the storage breaker: it changed nothing, and the store cannot take a row for
        // it now. Rows for every refusal would pile up in memory for as long as the disk is full,
        // so they are counted instead; the engine audits the count when commits go through again.
        ++storageRefusals_;
        if (pending.reply) {
            pending.reply(response);
        }
        return;
    }
    answer(pending.signal, response, stored ? &*stored : nullptr, std::move(pending.reply));
}

void PaymentPipeline::answer(const PaymentSignal& signal, const PaymentResponse& response,
                             const IdempotencyRecord* stored, Reply reply) {
    if (journal_ == nullptr) {
        if (reply) {
            reply(response);
        }
        return;
    }
    if (journal_->durable() && reply) {
        // A duplicate of a record still being committed queues behind that commit, so no
        // answer ever gets ahead of the write it depends on; none waits longer than the action
        // timeout for it, though (issue 14).
        const CommitWaits::Ticket ticket =
            commitWaits_.add(std::move(reply), pendingAnswer(response, signal.idempotencyKey.has_value()));
        journal_->record(signal, response, stored,
                         [this, ticket, response] { commitWaits_.release(ticket, response); });
        return;
    }
    journal_->record(signal, response, stored, [reply = std::move(reply), response] {
        if (reply) {
            reply(response);
        }
    });
}

}  // namespace tai
