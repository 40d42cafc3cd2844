#include "engine/engine_core.h"

#include "andon/alert_notifiers.h"
#include "andon/andon_evaluator.h"
#include "audit/audit_store.h"
#include "deployments/deployment_orchestrator.h"
#include "deployments/rollout_json.h"
#include "engine/durable_journal.h"
#include "engine/engine_observer.h"
#include "kaizen/kpi_rates.h"
#include "payments/payment_json.h"
#include "sim/identifiers.h"
#include "sim/real_clock.h"
#include "trace/otlp_exporter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include <spdlog/spdlog.h>

namespace tai {

using namespace std::chrono_literals;

namespace {
constexpr std::size_t kTimelineEvents = 200;
constexpr std::size_t kTransitionsPerBreaker = 10;
constexpr auto kLoadTick = 10ms;

}  // namespace

EngineCore::EngineCore(EngineConfig config, Clock* injectedClock)
    : config_(std::move(config)),
      clock_(injectedClock),
      gateway_(config_.seed),
      load_(config_.seed),
      burst_(config_.seed + 1),
      andon_(config_.policy.andon),
      traces_(std::make_unique<TraceStore>(config_.traceCapacity)) {
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    wakeNotifier_ =
        new QSocketNotifier(wakeFd_, QSocketNotifier::Read, this);  // moves to the engine thread with us
    connect(wakeNotifier_, &QSocketNotifier::activated, this, [this] {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto bytes = ::read(wakeFd_, &count, sizeof count);
        drainInbox();
    });
}

namespace {
// Lowers the calling thread's priority (Linux: per-thread nice). Best effort.
void yieldToInteractiveThreads() {
    [[maybe_unused]] const int ignored = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
}
}  // namespace

EngineCore::~EngineCore() {
    stop();
    delete wakeNotifier_;
    ::close(wakeFd_);
}

void EngineCore::post(std::function<void()> work) {
    bool wake = false;
    {
        std::lock_guard lock(inboxMutex_);
        wake = inbox_.empty();
        inbox_.push_back(std::move(work));
    }
    if (wake) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto bytes = ::write(wakeFd_, &one, sizeof one);
    }
}

void EngineCore::drainInbox() {
    std::vector<std::function<void()>> work;
    {
        std::lock_guard lock(inboxMutex_);
        work.swap(inbox_);
    }
    for (auto& item : work) {
        item();
    }
    if (pipeline_) {
        pipeline_->flushConfirmations();
    }
}

bool EngineCore::start() {
    if (running_) {
        return true;
    }
    if (config_.backgroundPriority) {
        yieldToInteractiveThreads();
    }
    if (clock_ == nullptr) {
        ownedClock_ = std::make_unique<RealClock>();  // created here so its timers run on this thread
        clock_ = ownedClock_.get();
    }
    if (config_.auditDatabase) {
        AuditStore::Options options{*config_.auditDatabase, config_.retentionDays, [this] {
                                        return toEpochMs(clock_->now());
                                    }};
        audit_ = AuditStore::open(options, &startError_);
        if (!audit_) {
            startError_ = QStringLiteral("audit database: ") + startError_;
            return false;
        }
    }
    QString samplerError;
    const auto sampler = TraceSampler::parse(config_.traceSampler, &samplerError);
    if (!sampler) {
        startError_ = samplerError;
        return false;
    }
    pipeline_ = std::make_unique<PaymentPipeline>(config_.policy.payments, *clock_, gateway_, idempotency_);
    if (!config_.otlpFile.isEmpty() || !config_.otlpEndpoint.isEmpty()) {
        otlp_ = std::make_unique<OtlpExporter>(OtlpExporter::Options{config_.otlpFile, config_.otlpEndpoint});
    }
    pipeline_->setTracing(*sampler, [this](std::shared_ptr<const PaymentTrace> trace) {
        if (otlp_) {
            otlp_->add(trace);
        }
        traces_->add(std::move(trace));
    });
    if (audit_) {
        journal_ = std::make_unique<DurableJournal>(
            *audit_, [this](std::function<void()> work) { post(std::move(work)); },
            [version = config_.policy.version] { return version; }, *clock_);
        pipeline_->setJournal(journal_.get());
    }
    if (config_.observer) {
        observedJournal_ = std::make_unique<ObservedJournal>(*config_.observer, journal_.get(), *clock_);
        pipeline_->setJournal(observedJournal_.get());
    }
    pipeline_->breaker().setTransitionListener([this](const BreakerTransition& t) { onTransition(t); });
    confirmationWorkers_ = std::make_unique<KanbanWorkerPool<Confirmation>>(
        pipeline_->confirmations(), config_.confirmationWorkers,
        [this](Confirmation&) {
            // The receipt confirmation record and merchant notification happen here, off the
            // response path. Audit persistence hooks in at this point.
            confirmed_.fetch_add(1, std::memory_order_relaxed);
        },
        config_.backgroundPriority ? std::function<void()>(yieldToInteractiveThreads)
                                   : std::function<void()>());
    infra_ = std::make_unique<InfraSimulator>(config_.seed, config_.policy.deployments.regions);
    DeploymentListener listener;
    listener.report = [this](const RolloutReportEvent& e) {
        lastRolloutEvent_[e.deployment] = e.at;
        if (e.kind == u"rollback") {
            ++rollbacks_;
        }
        audit(e.kind, e.deployment,
              QJsonDocument(QJsonObject{{QStringLiteral("region"), e.region},
                                        {QStringLiteral("stage"), e.stage},
                                        {QStringLiteral("weight"), e.weight},
                                        {QStringLiteral("reason"), e.reason}})
                  .toJson(QJsonDocument::Compact));
        post(
            [this, id = e.deployment] { persistRollout(id); });  // after the orchestrator finished the change
        if (config_.observer) {
            config_.observer->rolloutEvent(e);
        }
        reportEvents_.push_back(e);
        if (reportEvents_.size() > 100'000) {
            reportEvents_.erase(reportEvents_.begin(), reportEvents_.begin() + 50'000);
        }
    };
    listener.alert = [this](Severity s, const QString& rule, const QString& subject, const QString& message) {
        onDeploymentAlert(s, rule, subject, message);
    };
    listener.timeline = [this](const QString& subject, const QString& text) {
        addTimeline(QStringLiteral("deployment"), subject, text);
    };
    listener.breakerTransition = [this](const BreakerTransition& t) {
        onTransition(t);
    };
    listener.changed = [this] {
        requestExtraSnapshot();
    };
    deployments_ =
        std::make_unique<DeploymentOrchestrator>(config_.policy.deployments, *clock_, *infra_, listener);
    if (!config_.alertWebhook.isEmpty() || !config_.alertmanager.isEmpty()) {
        notifiers_ = std::make_unique<AlertNotifiers>(
            AlertNotifiers::Options{config_.alertWebhook, config_.alertmanager});
        alertSink_ = [notifiers = notifiers_.get()](const AlertTransition& t) {
            notifiers->notify(t);
        };
    }
    load_.setProfile(config_.load, clock_->now());
    startedAt_ = clock_->now();
    running_ = true;
    addTimeline(QStringLiteral("policy"), config_.policy.version, QStringLiteral("policy loaded"));
    recoverFromDatabase();
    scheduleSnapshots();
    scheduleSeconds();
    scheduleLoad();
    publishSnapshot();
    return true;
}

void EngineCore::recoverFromDatabase() {
    if (!audit_) {
        return;
    }
    const TimePoint now = clock_->now();
    std::size_t keys = 0;
    for (const IdempotencyRow& row : audit_->loadIdempotency(toEpochMs(now))) {
        if (const auto response = paymentResponseFromJson(row.response)) {
            idempotency_.put(row.key,
                             IdempotencyRecord{row.canonicalHash, *response, fromEpochMs(row.storedAtMs)});
            ++keys;
        }
    }
    int interrupted = 0;
    for (const auto& [status, json] : audit_->loadRollouts()) {
        if (status != u"in_progress" && status != u"paused" && status != u"interrupted") {
            continue;
        }
        if (const auto view = rolloutFromJson(QJsonDocument::fromJson(json).object())) {
            deployments_->restoreInterrupted(*view);
            persistRollout(view->id);
            ++interrupted;
        }
    }
    const QString where = audit_->databaseName().startsWith(QStringLiteral("file:"))
                              ? QStringLiteral("an in-memory audit trail")
                              : audit_->databaseName();
    const QString text =
        QStringLiteral(
            "started on %1: %2 idempotency keys restored, %3 rollouts interrupted (resume or "
            "roll back); breakers and queues start fresh")
            .arg(where)
            .arg(keys)
            .arg(interrupted);
    addTimeline(QStringLiteral("system"), QStringLiteral("engine"), text);
    spdlog::info("{}", text.toStdString());
}

void EngineCore::audit(const QString& kind, const QString& subject, const QByteArray& payload,
                       const QString& traceId) {
    if (!audit_ && !config_.observer) {
        return;
    }
    AuditRow row{toEpochMs(clock_->now()), traceId, kind, subject, payload, config_.policy.version};
    if (config_.observer) {
        config_.observer->auditRow(row);
    }
    if (audit_) {
        audit_->append(std::move(row));
    }
}

void EngineCore::recordOperator(const CommandOrigin& origin, const QString& command, const QString& subject,
                                const QString& text) {
    timeline_.push_back(
        TimelineEvent{++timelineSequence_, clock_->now(), QStringLiteral("operator"), subject, text});
    while (timeline_.size() > kTimelineEvents) {
        timeline_.pop_front();
    }
    audit(QStringLiteral("operator"), subject,
          QJsonDocument(QJsonObject{{QStringLiteral("actor"), origin.actor},
                                    {QStringLiteral("reason"), origin.reason},
                                    {QStringLiteral("command"), command},
                                    {QStringLiteral("text"), text}})
              .toJson(QJsonDocument::Compact));
}

void EngineCore::persistRollout(const QString& deployment) {
    if (!audit_) {
        return;
    }
    if (const auto view = deployments_->view(deployment)) {
        audit_->putRollout(view->id, toString(view->status),
                           QJsonDocument(rolloutToJson(*view)).toJson(QJsonDocument::Compact));
    }
}

void EngineCore::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    for (TimerId* timer : {&snapshotTimer_, &loadTimer_, &secondTimer_}) {
        if (*timer != 0) {
            clock_->cancel(*timer);
            *timer = 0;
        }
    }
    confirmationWorkers_.reset();  // joins before the queue it pulls from goes away
    if (audit_) {
        // Responses waiting for their commit are released before anything is torn down.
        audit_->flush();
        drainInbox();
    }
    observedJournal_.reset();
    journal_.reset();
    alertSink_ = nullptr;
    notifiers_.reset();  // gives up on undelivered alerts: the engine is going away
    otlp_.reset();       // writes what is still queued (one attempt at the endpoint)
    deployments_.reset();
    infra_.reset();
    pipeline_.reset();
    audit_.reset();
    ownedClock_.reset();
}

QString EngineCore::nextTraceId() {
    if (config_.deterministicIds) {
        return makeTraceId(config_.seed, QStringLiteral("trace:%1").arg(++idCounter_));
    }
    auto* random = QRandomGenerator::global();
    const std::uint64_t high = random->generate64();
    return traceIdFrom(high, random->generate64());
}

QString EngineCore::nextPaymentId() {
    if (config_.deterministicIds) {
        return makeUuid(config_.seed, QStringLiteral("payment:%1").arg(++idCounter_));
    }
    return makeUuid(QRandomGenerator::global()->generate64(), QStringLiteral("live"));
}

void EngineCore::submitPayment(const QByteArray& json, const QString& traceId, const Reply& reply) {
    if (!running_) {
        return;
    }
    if (config_.observer) {
        config_.observer->submitted(json, clock_->now());
    }
    const QString trace = traceId.isEmpty() ? nextTraceId() : traceId;
    ParsedPayment parsed = parsePaymentJson(json);
    if (auto* error = std::get_if<SignalError>(&parsed)) {
        pipeline_->submitInvalid(QString(), trace, error->text(), reply);
        return;
    }
    PaymentSignal signal = std::get<PaymentSignal>(std::move(parsed));
    if (signal.id.isEmpty()) {
        signal.id = nextPaymentId();
    }
    pipeline_->submit(std::move(signal), trace, reply);
}

CommandResult EngineCore::execute(const EngineCommand& command) {
    if (!running_) {
        return CommandResult::refused(QStringLiteral("engine is not running"));
    }
    CommandResult result = std::visit([this](const auto& c) { return apply(c); }, command);
    if (config_.observer) {
        config_.observer->command(command, result, clock_->now());
    }
    return result;
}

void EngineCore::onTransition(const BreakerTransition& t) {
    if (config_.observer) {
        config_.observer->breakerTransition(t);
    }
    auto& recent = transitions_[t.breaker];
    recent.push_back(t);
    while (recent.size() > kTransitionsPerBreaker) {
        recent.pop_front();
    }
    addTimeline(QStringLiteral("breaker_transition"), t.breaker,
                toString(t.from) + QStringLiteral(" → ") + toString(t.to) +
                    (t.forced ? QStringLiteral(" (forced)") : QString()) + QStringLiteral(": ") + t.reason);
    spdlog::info("breaker {}: {} -> {}{} ({})", t.breaker.toStdString(), toString(t.from).toStdString(),
                 toString(t.to).toStdString(), t.forced ? " forced" : "", t.reason.toStdString());
    requestExtraSnapshot();
}

void EngineCore::addTimeline(const QString& kind, const QString& subject, const QString& text) {
    audit(kind, subject,
          QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact));
    timeline_.push_back(TimelineEvent{++timelineSequence_, clock_->now(), kind, subject, text});
    while (timeline_.size() > kTimelineEvents) {
        timeline_.pop_front();
    }
}

void EngineCore::requestExtraSnapshot() {
    // At most one extra snapshot between two regular ones, however many transitions happen.
    if (extraSnapshotPending_ || !running_) {
        return;
    }
    extraSnapshotPending_ = true;
    clock_->scheduleAfter(0us, [this] {
        if (running_ && extraSnapshotPending_) {
            publishSnapshot();
        }
    });
}

void EngineCore::scheduleSnapshots() {
    snapshotTimer_ = clock_->scheduleAfter(config_.snapshotInterval, [this] {
        snapshotTimer_ = 0;
        publishSnapshot();
        extraSnapshotPending_ = false;
        scheduleSnapshots();
    });
}

void EngineCore::scheduleLoad() {
    if (loadTimer_ != 0 || !running_ || (config_.load.paymentsPerSecond <= 0 && !burstActive())) {
        return;
    }
    loadTimer_ = clock_->scheduleAfter(kLoadTick, [this] {
        loadTimer_ = 0;
        const Reply ignore;
        const auto submit = [this, &ignore](PaymentSignal s) {
            pipeline_->submit(std::move(s), nextTraceId(), ignore);
        };
        load_.generate(clock_->now(), submit);
        if (burst_.profile().paymentsPerSecond > 0) {
            burst_.generate(std::min(clock_->now(), burstUntil_), submit);
            if (!burstActive()) {
                burst_.setProfile(LoadProfile{0, 0, 1}, clock_->now());
                addTimeline(QStringLiteral("operator"), QStringLiteral("load"),
                            QStringLiteral("burst finished"));
            }
        }
        pipeline_->flushConfirmations();
        scheduleLoad();
    });
}

void EngineCore::scheduleSeconds() {
    const auto now = clock_->now();
    const auto nextSecond = std::chrono::floor<std::chrono::seconds>(now) + 1s;
    secondTimer_ = clock_->schedule(nextSecond, [this] {
        secondTimer_ = 0;
        closeSecond();
        scheduleSeconds();
    });
}

}  // namespace tai
