#include "engine/engine_host.h"

#include "audit/audit_store.h"
#include "base/real_clock.h"
#include "engine/andon_station.h"
#include "engine/breaker_control.h"
#include "engine/command_text.h"
#include "engine/deployments_system.h"
#include "engine/engine_inbox.h"
#include "engine/event_journal.h"
#include "engine/payments_system.h"
#include "engine/storage_guard.h"
#include "trace/otlp_exporter.h"
#include "trace/trace_store.h"

#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace tai {

using namespace std::chrono_literals;

EngineHost::EngineHost(EngineConfig config, Clock* injectedClock)
    : config_(std::move(config)),
      clock_(injectedClock),
      inbox_(new EngineInbox([this] { payments_ ? payments_->flushConfirmations() : void(); }, this)),
      traces_(std::make_shared<TraceStore>(config_.traceCapacity)) {}

EngineHost::~EngineHost() {
    stop();
}

void EngineHost::post(std::function<void()> work) {
    inbox_->post(std::move(work));
}

bool EngineHost::start() {
    if (running_) {
        return true;
    }
    if (config_.backgroundPriority) {
        // Engine threads yield the CPU to the GUI thread when both want it (Linux per-thread nice).
        [[maybe_unused]] const int ignored = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
    }
    if (clock_ == nullptr) {
        ownedClock_ = std::make_unique<RealClock>();  // created here so its timers run on this thread
        clock_ = ownedClock_.get();
    }
    if (config_.auditDatabase) {
        // Health reports come from the writer thread; the writer stops in stop(), before this goes.
        audit_ = openAuditStore(
            config_, *clock_,
            [this](const StorageHealth& health) {
                post([this, health] {
                    if (storage_ && running_) {
                        storage_->healthChanged(health);
                    }
                });
            },
            &startError_);
        if (!audit_) {
            return false;
        }
    }
    if (!config_.otlpFile.isEmpty() || !config_.otlpEndpoint.isEmpty()) {
        otlp_ = std::make_unique<OtlpExporter>(OtlpExporter::Options{config_.otlpFile, config_.otlpEndpoint});
    }
    journal_ = std::make_unique<EventJournal>(
        EventJournal::Options{audit_.get(), config_.observer.get(), config_.policy.version,
                              [this](std::function<void()> work) { post(std::move(work)); },
                              [this] {
                                  requestExtraSnapshot();
                              }},
        *clock_);
    andon_ =
        std::make_unique<AndonStation>(config_.policy.andon, *journal_, *clock_,
                                       AlertNotifiers::Options{config_.alertWebhook, config_.alertmanager});
    context_ = std::make_unique<SystemContext>(SystemContext{
        config_, *clock_, *journal_, *traces_, otlp_.get(), audit_.get(), ownedClock_ == nullptr,
        [this](std::function<void()> work) { post(std::move(work)); }, [this] { requestExtraSnapshot(); },
        [this](ActiveAlert alert) {
            andon_->raise(std::move(alert));
            requestExtraSnapshot();
        }});
    payments_ = std::make_unique<PaymentsSystem>();
    deployments_ = std::make_unique<DeploymentsSystem>();
    systems_ = {payments_.get(), deployments_.get()};
    for (ReferenceSystem* system : systems_) {
        if (!system->start(*context_, &startError_)) {
            return false;
        }
    }
    startStorageBreaker();
    running_ = true;
    journal_->note(QStringLiteral("policy"), config_.policy.version, QStringLiteral("policy loaded"));
    recover();
    scheduleSnapshots();
    scheduleSeconds();
    payments_->beginLoad();
    publishSnapshot();
    return true;
}

void EngineHost::recover() {
    const std::size_t keys = payments_->restoreKeys();
    const int interrupted = deployments_->restoreRollouts();
    if (!audit_) {
        return;
    }
    const QString where = audit_->databaseName().startsWith(QStringLiteral("file:"))
                              ? QStringLiteral("an in-memory audit trail")
                              : audit_->databaseName();
    const QString text =
        QStringLiteral(
            "started on %1: %2 idempotency keys restored, %3 rollouts interrupted (resume or roll "
            "back); breakers and queues start fresh")
            .arg(where)
            .arg(keys)
            .arg(interrupted);
    journal_->note(QStringLiteral("system"), QStringLiteral("engine"), text);
    spdlog::info("{}", text.toStdString());
}

void EngineHost::stop() {
    if (!journal_) {
        return;  // never started, or stopped already
    }
    running_ = false;
    for (TimerId* timer : {&snapshotTimer_, &secondTimer_}) {
        if (*timer != 0) {
            clock_->cancel(*timer);
            *timer = 0;
        }
    }
    if (payments_) {
        payments_->stop();  // its confirmation workers join first
    }
    if (audit_) {
        // Responses waiting for their commit are released before anything is torn down. A
        // failing store gets a bounded grace, so SIGTERM ends the process within seconds (issue
        // 14); what it gives up is logged, and those clients get the server's 503. The writer
        // stops here, so no callback can reach this object afterwards.
        const ShutdownReport report = audit_->close(config_.auditShutdownGrace);
        if (!report.clean()) {
            spdlog::error("stopped with {} audit rows uncommitted ({} payment replies never given)",
                          report.abandonedRows, report.abandonedCallbacks);
        }
        inbox_->drain();
    }
    andon_.reset();
    otlp_.reset();  // writes what is still queued (one attempt at the endpoint)
    deployments_.reset();
    payments_.reset();
    storage_.reset();
    systems_.clear();
    journal_.reset();
    audit_.reset();  // a reader still holding it keeps it open until its query is done
    ownedClock_.reset();
}

void EngineHost::submitPayment(const QByteArray& json, const TraceContext& trace, const Reply& reply) {
    if (running_) {
        payments_->submit(json, trace, reply);
    }
}

void EngineHost::setApiUrl(const QString& url) {
    if (andon_) {
        andon_->setGeneratorUrl(QUrl(url + QStringLiteral("/v1/alerts")));
    }
}

CommandResult EngineHost::execute(const EngineCommand& command) {
    if (!running_) {
        return CommandResult::refused(conflict(QStringLiteral("the engine is not running")));
    }
    journal_->beginCommand();  // the command's own audit row comes before what it causes
    const CommandResult result = dispatch(command);
    journal_->endCommand(command, result);
    return result;
}

CommandResult EngineHost::dispatch(const EngineCommand& command) {
    if (const auto* breaker = std::get_if<ControlBreaker>(&command)) {
        return controlBreaker(*breaker);
    }
    if (auto result = andon_->apply(command)) {
        return *result;
    }
    for (ReferenceSystem* system : systems_) {
        if (auto result = system->apply(command)) {
            return *result;
        }
    }
    return CommandResult::refused(
        invalid(QStringLiteral("do"), QStringLiteral("no system takes this command")));
}

CommandResult EngineHost::controlBreaker(const ControlBreaker& command) {
    for (const HostedBreaker& hosted : allBreakers()) {
        if (hosted.owned.breaker->name() == command.breaker) {
            applyBreakerControl(*hosted.owned.breaker, command);
            return CommandResult::applied();
        }
    }
    return CommandResult::refused(
        notFound(QStringLiteral("breaker"), QStringLiteral("unknown breaker '%1'").arg(command.breaker)));
}

std::vector<EngineHost::HostedBreaker> EngineHost::allBreakers() {
    std::vector<HostedBreaker> all;
    for (ReferenceSystem* system : systems_) {
        for (const OwnedBreaker& owned : system->breakers()) {
            all.push_back(HostedBreaker{owned, system->name()});
        }
    }
    if (storage_) {
        all.push_back(HostedBreaker{OwnedBreaker{&storage_->breaker(), {}}, QStringLiteral("engine")});
    }
    return all;
}

void EngineHost::startStorageBreaker() {
    if (!audit_ || audit_->inMemory()) {
        return;  // nothing to fill up or break: an in-memory trail has no storage breaker
    }
    storage_ = std::make_unique<StorageGuard>(
        *audit_, *journal_, *clock_, [this] { return payments_->storageRefusals(); },
        [this] { requestExtraSnapshot(); });
    payments_->setStorageBreaker(&storage_->breaker());
}

void EngineHost::requestExtraSnapshot() {
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

void EngineHost::scheduleSnapshots() {
    snapshotTimer_ = clock_->scheduleAfter(config_.snapshotInterval, [this] {
        snapshotTimer_ = 0;
        publishSnapshot();
        extraSnapshotPending_ = false;
        scheduleSnapshots();
    });
}

void EngineHost::scheduleSeconds() {
    const auto nextSecond = std::chrono::floor<std::chrono::seconds>(clock_->now()) + 1s;
    secondTimer_ = clock_->schedule(nextSecond, [this] {
        secondTimer_ = 0;
        for (ReferenceSystem* system : systems_) {
            system->tick();
        }
        scheduleSeconds();
    });
}

void EngineHost::publishSnapshot() {
    if (!running_) {
        return;
    }
    // Andon first: building the snapshot only reads.
    AndonInputs inputs;
    const std::vector<HostedBreaker> breakers = allBreakers();
    for (const HostedBreaker& hosted : breakers) {
        const OwnedBreaker& owned = hosted.owned;
        const BreakerStatus status = owned.breaker->status();
        // A tripped breaker that is half-open, automatically or forced, is still not
        // recovered: the alert holds until it closes, so a failed probe neither resolves and
        // re-fires it every backoff nor throws away the operator's acknowledgement (issue 17,
        // item 4). A healthy breaker forced half-open is a drill, not an outage.
        const bool tripped = status.state == BreakerState::Open ||
                             (status.state == BreakerState::HalfOpen &&
                              (!status.forced || trippedBreakers_.contains(status.name)));
        if (tripped) {
            inputs.openBreakers.push_back({status.name, owned.region, hosted.system});
            trippedBreakers_.insert(status.name);
        } else {
            trippedBreakers_.remove(status.name);
        }
    }
    for (ReferenceSystem* system : systems_) {
        system->andonInputs(inputs);
    }
    andon_->evaluate(inputs);

    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->sequence = ++snapshotSequence_;
    snapshot->at = clock_->now();
    snapshot->virtualTime = ownedClock_ == nullptr;
    snapshot->policyVersion = config_.policy.version;
    snapshot->minSamples = config_.policy.andon.minSamples;
    for (const HostedBreaker& hosted : breakers) {
        const OwnedBreaker& owned = hosted.owned;
        BreakerView view{owned.breaker->status(), journal_->recentTransitions(owned.breaker->name()),
                         hosted.system, owned.region};
        snapshot->kpis.breakerTrips += view.status.trips;
        snapshot->breakers.push_back(std::move(view));
    }
    for (ReferenceSystem* system : systems_) {
        system->contribute(*snapshot);
    }
    if (storage_) {
        storage_->contribute(snapshot->storage);
        snapshot->storage.repliesWaiting = payments_->repliesWaitingForCommit();
        snapshot->storage.answeredPending = payments_->repliesAnsweredPending();
    }
    andon_->contribute(*snapshot);
    snapshot->timeline.assign(journal_->timeline().begin(), journal_->timeline().end());
    Q_EMIT snapshotReady(std::move(snapshot));
}

}  // namespace tai
