#include "engine/payments_system.h"

#include "audit/audit_store.h"
#include "base/identifiers.h"
#include "engine/command_text.h"
#include "engine/durable_idempotency_store.h"
#include "engine/engine_config.h"
#include "engine/engine_observer.h"
#include "engine/event_journal.h"
#include "engine/journal_decisions.h"
#include "payments/http_gateway.h"
#include "payments/payment_json.h"
#include "trace/otlp_exporter.h"
#include "trace/trace_store.h"

#include <QRandomGenerator>

#include <sys/resource.h>
#include <unistd.h>

namespace tai {

using namespace std::chrono_literals;

namespace {
constexpr auto kLoadTick = 10ms;

// Lowers the calling thread's priority (Linux: per-thread nice). Best effort.
void yieldToInteractiveThreads() {
    [[maybe_unused]] const int ignored = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
}
}  // namespace

PaymentsSystem::PaymentsSystem() = default;

PaymentsSystem::~PaymentsSystem() {
    stop();
}

bool PaymentsSystem::start(SystemContext& context, QString* error) {
    context_ = &context;
    const EngineConfig& config = context.config;
    QString samplerError;
    const auto sampler = TraceSampler::parse(config.traceSampler, &samplerError);
    if (!sampler) {
        *error = samplerError;
        return false;
    }
    simulator_ = std::make_unique<GatewaySimulator>(config.seed, context.clock);
    PaymentGateway* gateway = simulator_.get();
    const QString url = config.gatewayUrl.isEmpty() ? config.policy.payments.gatewayUrl : config.gatewayUrl;
    if (!url.isEmpty()) {
        if (context.virtualTime) {
            *error = QStringLiteral(
                "gateway_url: a real gateway answers in real time; scenarios and replays "
                "run on the virtual clock with the simulator");
            return false;
        }
        httpGateway_ = std::make_unique<HttpGateway>(
            QUrl(url), std::chrono::seconds(config.policy.payments.actionTimeoutS));
        gateway = httpGateway_.get();
    }
    if (context.audit != nullptr) {
        idempotency_ = std::make_unique<DurableIdempotencyStore>(*context.audit);
    } else {
        idempotency_ = std::make_unique<InMemoryIdempotencyStore>();
    }
    pipeline_ =
        std::make_unique<PaymentPipeline>(config.policy.payments, context.clock, *gateway, *idempotency_);
    pipeline_->setTracing(*sampler, [this](std::shared_ptr<const PaymentTrace> trace) {
        if (context_->otlp != nullptr && trace->exported()) {
            context_->otlp->add(trace);
        }
        context_->traces.add(std::move(trace));
    });
    if (context.journal.keepsDecisions()) {
        decisions_ = std::make_unique<JournalDecisions>(context.journal, context.clock);
        pipeline_->setJournal(decisions_.get());
    }
    pipeline_->breaker().setTransitionListener([this](const BreakerTransition& t) {
        context_->journal.publish(EngineEvent{t.at, t});
    });
    confirmationWorkers_ = std::make_unique<KanbanWorkerPool<Confirmation>>(
        pipeline_->confirmations(), config.confirmationWorkers,
        [this](Confirmation&) {
            // The receipt confirmation record and merchant notification happen here, off the
            // response path.
            confirmed_.fetch_add(1, std::memory_order_relaxed);
        },
        config.backgroundPriority ? std::function<void()>(yieldToInteractiveThreads)
                                  : std::function<void()>());
    load_ = std::make_unique<LoadGenerator>(config.seed);
    burst_ = std::make_unique<LoadGenerator>(config.seed + 1);
    loadProfile_ = config.load;
    load_->setProfile(loadProfile_, context.clock.now());
    history_ = std::make_unique<PaymentsHistory>(*pipeline_, config.policy.andon, context.clock.now());
    running_ = true;
    return true;
}

void PaymentsSystem::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    if (loadTimer_ != 0) {
        context_->clock.cancel(loadTimer_);
        loadTimer_ = 0;
    }
    confirmationWorkers_.reset();  // joins before the queue it pulls from goes away
}

void PaymentsSystem::flushConfirmations() {
    if (pipeline_) {
        pipeline_->flushConfirmations();
    }
}

std::size_t PaymentsSystem::restoreKeys() {
    if (context_->audit == nullptr) {
        return 0;
    }
    return static_cast<std::size_t>(std::max<std::int64_t>(0, context_->audit->storedKeyCount()));
}

QString PaymentsSystem::nextTraceId() {
    if (context_->config.deterministicIds) {
        return makeTraceId(context_->config.seed, QStringLiteral("trace:%1").arg(++idCounter_));
    }
    auto* random = QRandomGenerator::global();
    const std::uint64_t high = random->generate64();
    return traceIdFrom(high, random->generate64());
}

QString PaymentsSystem::nextPaymentId() {
    if (context_->config.deterministicIds) {
        return makeUuid(context_->config.seed, QStringLiteral("payment:%1").arg(++idCounter_));
    }
    return makeUuid(QRandomGenerator::global()->generate64(), QStringLiteral("live"));
}

void PaymentsSystem::submit(const QByteArray& json, const TraceContext& trace, const Reply& reply) {
    if (!running_) {
        return;
    }
    if (EngineObserver* observer = context_->config.observer.get()) {
        observer->submitted(json, context_->clock.now());
    }
    TraceContext context = trace;
    if (context.traceId.isEmpty()) {
        context.traceId = nextTraceId();
    }
    ParsedPayment parsed = parsePaymentJson(json);
    if (auto* invalid = std::get_if<SignalError>(&parsed)) {
        pipeline_->submitInvalid(QString(), std::move(context), invalid->field, invalid->text(), reply);
        return;
    }
    PaymentSignal signal = std::get<PaymentSignal>(std::move(parsed));
    if (signal.id.isEmpty()) {
        signal.id = nextPaymentId();
    }
    pipeline_->submit(std::move(signal), std::move(context), reply);
}

std::optional<CommandResult> PaymentsSystem::apply(const EngineCommand& command) {
    if (const auto* fault = std::get_if<SetGatewayFault>(&command)) {
        return setGatewayFault(*fault);
    }
    if (const auto* load = std::get_if<SetLoad>(&command)) {
        return setLoad(*load);
    }
    if (const auto* burst = std::get_if<StartBurst>(&command)) {
        return startBurst(*burst);
    }
    return std::nullopt;
}

CommandResult PaymentsSystem::setGatewayFault(const SetGatewayFault& command) {
    if (httpGateway_) {
        return CommandResult::refused(
            conflict(QStringLiteral("the engine calls a real gateway (%1); faults are for the simulator")
                         .arg(httpGateway_->name())));
    }
    simulator_->setFault(command.fault);
    return CommandResult::applied();
}

CommandResult PaymentsSystem::setLoad(const SetLoad& command) {
    loadProfile_ = LoadProfile{command.paymentsPerSecond, command.fraudsterShare, command.customers};
    load_->setProfile(loadProfile_, context_->clock.now());
    scheduleLoad();
    return CommandResult::applied();
}

bool PaymentsSystem::burstActive() const {
    return burst_->profile().paymentsPerSecond > 0 && context_->clock.now() < burstUntil_;
}

CommandResult PaymentsSystem::startBurst(const StartBurst& command) {
    burst_->setProfile(LoadProfile{command.paymentsPerSecond, command.fraudsterShare, command.customers},
                       context_->clock.now());
    burstUntil_ = context_->clock.now() + std::chrono::seconds(command.seconds);
    scheduleLoad();
    return CommandResult::applied();
}

void PaymentsSystem::scheduleLoad() {
    if (loadTimer_ != 0 || !running_ || (loadProfile_.paymentsPerSecond <= 0 && !burstActive())) {
        return;
    }
    loadTimer_ = context_->clock.scheduleAfter(kLoadTick, [this] {
        loadTimer_ = 0;
        const Reply ignore;
        const auto submitGenerated = [this, &ignore](PaymentSignal s) {
            pipeline_->submit(std::move(s), nextTraceId(), ignore);
        };
        const TimePoint now = context_->clock.now();
        load_->generate(now, submitGenerated);
        if (burst_->profile().paymentsPerSecond > 0) {
            burst_->generate(std::min(now, burstUntil_), submitGenerated);
            if (!burstActive()) {
                burst_->setProfile(LoadProfile{0, 0, 1}, now);
                context_->journal.note(QStringLiteral("operator"), QStringLiteral("load"),
                                       QStringLiteral("burst finished"));
            }
        }
        pipeline_->flushConfirmations();
        scheduleLoad();
    });
}

void PaymentsSystem::tick() {
    if (const std::uint64_t shed = history_->closeSecond(context_->clock.now()); shed > 0) {
        context_->journal.note(QStringLiteral("shed"), QStringLiteral("admission"),
                               QStringLiteral("shed %1 payments: admission queue full").arg(shed));
    }
}

std::vector<OwnedBreaker> PaymentsSystem::breakers() {
    return {OwnedBreaker{&pipeline_->breaker(), {}}};
}

void PaymentsSystem::andonInputs(AndonInputs& inputs) {
    using Unit = AndonMeasurement::Unit;
    using Bad = AndonMeasurement::Bad;
    const KpiRates rates = history_->rates(context_->clock.now());
    const std::optional<double> p99 = history_->lastP99Ms();
    inputs.measurements.push_back({name(), QStringLiteral("fraud_rate"), QStringLiteral("payments"),
                                   QStringLiteral("fraud (reject) rate"), rates.reject.value,
                                   rates.reject.enoughData, Unit::Ratio, Bad::Above});
    inputs.measurements.push_back(
        {name(), QStringLiteral("p99_latency_ms"), QStringLiteral("payments"), QStringLiteral("p99 latency"),
         p99.value_or(0), p99.has_value() && rates.reject.enoughData, Unit::Milliseconds, Bad::Above});
    inputs.measurements.push_back({name(), QStringLiteral("error_rate"), QStringLiteral("payment-gateway"),
                                   QStringLiteral("gateway error rate"), rates.error.value,
                                   rates.error.enoughData, Unit::Ratio, Bad::Above});
    inputs.measurements.push_back({name(), QStringLiteral("success_rate"), QStringLiteral("payments"),
                                   QStringLiteral("success rate"), rates.success.value,
                                   rates.success.enoughData, Unit::Ratio, Bad::Below});
}

void PaymentsSystem::contribute(EngineSnapshot& snapshot) const {
    const TimePoint now = context_->clock.now();
    snapshot.queues.push_back(QueueView{QStringLiteral("admission"), pipeline_->admissionCounters(),
                                        PaymentPipeline::kGatewayLanes, pipeline_->lanes().totalLoad()});
    snapshot.queues.push_back(QueueView{QStringLiteral("confirmation"), pipeline_->confirmations().counters(),
                                        confirmationWorkers_->workerCount(),
                                        confirmationWorkers_->busyWorkers()});
    snapshot.tokenFill = pipeline_->tokenFill();
    snapshot.tokenBurst = pipeline_->config().gatewayBurst;
    snapshot.tokenRatePerS = pipeline_->config().gatewayRatePerS;
    for (int lane = 0; lane < pipeline_->lanes().lanes(); ++lane) {
        snapshot.laneLoad.push_back(pipeline_->lanes().load(lane));
    }
    snapshot.gatewayFault = simulator_->fault();
    snapshot.gateway = httpGateway_ ? httpGateway_->name() : simulator_->name();
    snapshot.loadPerSecond = loadProfile_.paymentsPerSecond;
    if (burstActive()) {
        snapshot.burstPerSecond = burst_->profile().paymentsPerSecond;
        snapshot.burstSecondsLeft = toSeconds(burstUntil_ - now);
    }
    history_->fill(snapshot.kpis, now);
    snapshot.kpis.confirmed = confirmed_.load(std::memory_order_relaxed);
    snapshot.history = history_->recent();
    snapshot.hourHistory = history_->hour();
}

}  // namespace tai
