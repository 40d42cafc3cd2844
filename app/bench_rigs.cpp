#include "bench_rigs.h"

#include "audit/audit_store.h"
#include "base/identifiers.h"
#include "base/seeded_random.h"
#include "base/virtual_clock.h"
#include "counting_allocator.h"
#include "engine/engine_config.h"
#include "engine/journal_decisions.h"
#include "kanban/kanban_worker_pool.h"
#include "payments/load_generator.h"
#include "payments/payment_json.h"
#include "payments/payment_pipeline.h"
#include "trace/trace_store.h"

#include <QFile>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace tai::app {

using namespace std::chrono_literals;
using Wall = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t kSeed = 42;
constexpr std::size_t kPoolSize = 1 << 16;
constexpr auto kVirtualStep = 1ms;
constexpr int kCheckEvery = 1024;  // signals between looks at the wall clock

double secondsSince(Wall::time_point start) {
    return std::chrono::duration<double>(Wall::now() - start).count();
}

// 65 536 generated payments from 30 000 customers, 1 % of them fraudulent, reused in a cycle.
// At one virtual millisecond per signal a customer pays about twice a minute: under the velocity
// limit, as in the demo.
const std::vector<PaymentSignal>& signalPool() {
    static const std::vector<PaymentSignal> pool = [] {
        LoadGenerator generator(kSeed);
        const TimePoint start{};
        // The rate only sizes the generator's customer pool here: 100/s × its 300 s keeps it at 30 000.
        generator.setProfile(LoadProfile{100, 0.01, 30'000}, start);
        std::vector<PaymentSignal> signals;
        signals.reserve(kPoolSize);
        for (std::size_t i = 0; i < kPoolSize; ++i) {
            signals.push_back(generator.next(start));
        }
        return signals;
    }();
    return pool;
}

void count(Reconciliation& counters, PaymentOutcome outcome) {
    switch (outcome) {
        case PaymentOutcome::Charged:
            ++counters.charged;
            break;
        case PaymentOutcome::Rejected:
            ++counters.rejected;
            break;
        case PaymentOutcome::QueueFull:
            ++counters.shed;
            break;
        case PaymentOutcome::CircuitOpen:
        case PaymentOutcome::GatewayError:
        case PaymentOutcome::GatewayTimeout:
            ++counters.failed;
            break;
        case PaymentOutcome::Invalid:
            ++counters.invalid;
            break;
        case PaymentOutcome::Duplicate:
            ++counters.duplicate;
            break;
        case PaymentOutcome::IdempotencyConflict:
            ++counters.conflict;
            break;
    }
}

// The pipeline and what the engine thread wires around it, minus the engine's event loop.
class PipelineRig {
public:
    explicit PipelineRig(const PaymentsConfig& config, int confirmationWorkers = 1)
        : clock_(TimePoint{} + 24h),
          gateway_(kSeed, clock_),
          pipeline_(openWide(config), clock_, gateway_, idempotency_),
          traceIds_(kSeed),
          reply_([this](const PaymentResponse& response) { count(counters_, response.outcome); }) {
        // Tracing as the engine runs it: the default sampler (rate:50), rejections and failures
        // always kept, in a 10 000-trace store.
        QString error;
        pipeline_.setTracing(
            *TraceSampler::parse(EngineConfig{}.traceSampler, &error),
            [this](std::shared_ptr<const PaymentTrace> trace) { traces_.add(std::move(trace)); });
        workers_ = std::make_unique<KanbanWorkerPool<Confirmation>>(
            pipeline_.confirmations(), confirmationWorkers,
            [this](Confirmation&) { confirmed_.fetch_add(1, std::memory_order_relaxed); });
    }

    // One signal in; its reply runs before this returns unless a journal holds it.
    void submitNext() {
        if (index_ % kCheckEvery == 0) {
            // Like the engine's load tick: a batch of signals shares one clock reading, and
            // timers due meanwhile (flushes, token refills) run between batches.
            clock_.advanceBy(kVirtualStep * kCheckEvery);
        }
        const PaymentSignal& next = signalPool()[index_++ & (kPoolSize - 1)];
        ++counters_.received;
        const std::uint64_t high = traceIds_.next();
        pipeline_.submit(next, traceIdFrom(high, traceIds_.next()), reply_);
    }

    // kCheckEvery signals, then the end-of-burst flush the engine does after each tick.
    void submitBatch() {
        for (int i = 0; i < kCheckEvery; ++i) {
            submitNext();
        }
        pipeline_.flushConfirmations();
    }

    PaymentPipeline& pipeline() { return pipeline_; }
    VirtualClock& clock() { return clock_; }

    Reconciliation finish() {
        clock_.advanceBy(1min);  // anything waiting for a token or a timer completes
        Reconciliation result = counters_;
        result.metricsTotal = pipeline_.metrics().totalAll();
        return result;
    }

private:
    VirtualClock clock_;
    GatewaySimulator gateway_;
    InMemoryIdempotencyStore idempotency_;
    PaymentPipeline pipeline_;
    SeededRandom traceIds_;
    PaymentPipeline::Reply reply_;
    TraceStore traces_;
    std::unique_ptr<KanbanWorkerPool<Confirmation>> workers_;
    std::atomic<std::uint64_t> confirmed_{0};
    std::uint64_t index_ = 0;
    Reconciliation counters_;
};

}  // namespace

PaymentsConfig openWide(PaymentsConfig config) {
    config.gatewayRatePerS = 1'000'000'000;
    config.gatewayBurst = 1'000'000;
    return config;
}

double residentMb() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QList<QByteArray> fields = statm.readAll().split(' ');
    const double pages = fields.size() > 1 ? fields.at(1).toDouble() : 0;
    return pages * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

ThroughputRun measurePipeline(const PaymentsConfig& config, double seconds) {
    PipelineRig rig(config);
    for (int i = 0; i < 50'000; ++i) {  // warm caches, customer history and the allocator
        rig.submitNext();
    }
    const Reconciliation before = rig.finish();
    const std::uint64_t allocationsBefore = threadAllocationCount();
    const auto start = Wall::now();
    std::uint64_t signals = 0;
    double elapsed = 0;
    do {
        rig.submitBatch();
        signals += kCheckEvery;
        elapsed = secondsSince(start);
    } while (elapsed < seconds);
    const std::uint64_t allocations = threadAllocationCount() - allocationsBefore;
    ThroughputRun run;
    run.signals = signals;
    run.signalsPerS = static_cast<double>(signals) / elapsed;
    run.allocationsPerSignal = static_cast<double>(allocations) / static_cast<double>(signals);
    run.counters = rig.finish();
    Q_UNUSED(before);
    return run;
}

ThroughputRun measureBareLoop(const PaymentsConfig& config, double seconds) {
    FraudPolicy policy(config);
    VirtualClock unused;
    GatewaySimulator gateway(kSeed, unused);
    const auto& pool = signalPool();
    TimePoint now = TimePoint{} + 24h;
    std::uint64_t signals = 0;
    std::uint64_t charged = 0;
    const auto step = [&] {
        const PaymentSignal& signal = pool[signals++ & (kPoolSize - 1)];
        now += kVirtualStep;
        if (!policy.evaluate(signal, now).rejected && gateway.call(signal).kind == GatewayCallKind::Ok) {
            ++charged;
        }
    };
    for (int i = 0; i < 50'000; ++i) {
        step();
    }
    signals = 0;
    const std::uint64_t allocationsBefore = threadAllocationCount();
    const auto start = Wall::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < kCheckEvery; ++i) {
            step();
        }
        elapsed = secondsSince(start);
    } while (elapsed < seconds);
    ThroughputRun run;
    run.signals = signals;
    run.signalsPerS = static_cast<double>(signals) / elapsed;
    run.allocationsPerSignal =
        static_cast<double>(threadAllocationCount() - allocationsBefore) / static_cast<double>(signals);
    run.counters.received = signals;
    run.counters.charged = charged;
    return run;
}

LatencyRun measureLatency(const PaymentsConfig& config, double offeredPerS, double seconds) {
    PipelineRig rig(config);
    for (int i = 0; i < 50'000; ++i) {
        rig.submitNext();
    }
    LatencyHistogram histogram;  // nanoseconds
    const auto interval = std::chrono::duration<double, std::nano>(1e9 / offeredPerS);
    const auto total = static_cast<std::uint64_t>(offeredPerS * seconds);
    const auto start = Wall::now();
    for (std::uint64_t i = 0; i < total; ++i) {
        const auto scheduled =
            start + std::chrono::duration_cast<Wall::duration>(interval * static_cast<double>(i));
        while (Wall::now() < scheduled) {
        }
        rig.submitNext();
        histogram.record(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Wall::now() - scheduled).count()));
    }
    LatencyRun run;
    run.offeredPerS = offeredPerS;
    run.p50Us = histogram.percentile(0.50) / 1000.0;
    run.p99Us = histogram.percentile(0.99) / 1000.0;
    run.p999Us = histogram.percentile(0.999) / 1000.0;
    run.maxUs = histogram.percentile(1.0) / 1000.0;
    return run;
}

ThroughputRun measureDurable(const PaymentsConfig& config, const std::string& directory, double seconds) {
    PipelineRig rig(config);
    AuditStore::Options options{QString::fromStdString(directory) + QStringLiteral("/bench-audit.db"), 30,
                                [&rig] {
                                    return toEpochMs(rig.clock().now());
                                }};
    QString error;
    auto store = AuditStore::open(options, &error);
    if (!store) {
        return {};
    }
    // Commits release responses from the writer thread; like the engine, hand them back to the
    // pipeline's thread through a locked inbox.
    std::mutex inboxMutex;
    std::vector<std::function<void()>> inbox;
    EventJournal events(EventJournal::Options{store.get(),
                                              nullptr,
                                              QStringLiteral("bench"),
                                              [&](std::function<void()> work) {
                                                  std::lock_guard lock(inboxMutex);
                                                  inbox.push_back(std::move(work));
                                              },
                                              {}},
                        rig.clock());
    JournalDecisions journal(events, rig.clock());
    rig.pipeline().setJournal(&journal);
    std::vector<std::function<void()>> ready;
    const auto drain = [&] {
        {
            std::lock_guard lock(inboxMutex);
            ready.swap(inbox);
        }
        for (auto& work : ready) {
            work();
        }
        const std::size_t n = ready.size();
        ready.clear();
        return n;
    };
    constexpr std::uint64_t kMaxOutstanding = 100'000;  // clients waiting for their commit
    std::uint64_t submitted = 0;
    std::uint64_t released = 0;
    const auto start = Wall::now();
    while (secondsSince(start) < seconds) {
        rig.submitBatch();
        submitted += kCheckEvery;
        released += drain();
        while (submitted - released > kMaxOutstanding) {
            std::this_thread::sleep_for(1ms);
            released += drain();
        }
    }
    store->flush();
    while (released < submitted) {
        released += drain();
        if (released < submitted) {
            std::this_thread::sleep_for(1ms);
        }
    }
    const double elapsed = secondsSince(start);
    ThroughputRun run;
    run.signals = submitted;
    run.signalsPerS = static_cast<double>(submitted) / elapsed;
    run.counters = rig.finish();
    rig.pipeline().setJournal(nullptr);
    return run;
}

std::vector<AuditRow> decisionRows(const PaymentsConfig& config, std::size_t count) {
    // Builds each row exactly as EventJournal does for a DecisionEvent, then releases the response at once.
    class Capture final : public DecisionJournal {
    public:
        Capture(std::vector<AuditRow>& rows, const Clock& clock) : rows_(rows), clock_(clock) {}
        void record(const PaymentSignal& signal, const PaymentResponse& response, const IdempotencyRecord*,
                    std::function<void()> release) override {
            rows_.push_back(AuditRow{toEpochMs(clock_.now()), response.traceId, QStringLiteral("decision"),
                                     response.id, decisionAuditJson(signal, response),
                                     QStringLiteral("bench")});
            release();
        }

    private:
        std::vector<AuditRow>& rows_;
        const Clock& clock_;
    };
    std::vector<AuditRow> rows;
    rows.reserve(count);
    PipelineRig rig(config);
    Capture capture(rows, rig.clock());
    rig.pipeline().setJournal(&capture);
    while (rows.size() < count) {
        rig.submitBatch();
    }
    rig.finish();
    rig.pipeline().setJournal(nullptr);
    rows.resize(count);
    return rows;
}

std::map<std::string, double> measureStages(const PaymentsConfig& config) {
    constexpr int kRounds = 400'000;
    const auto& pool = signalPool();
    const auto nsPer = [](Wall::time_point start, int rounds) {
        return std::chrono::duration<double, std::nano>(Wall::now() - start).count() / rounds;
    };
    std::map<std::string, double> stages;
    {
        FraudPolicy policy(config);
        TimePoint now = TimePoint{} + 24h;
        int rejected = 0;
        const auto start = Wall::now();
        for (int i = 0; i < kRounds; ++i) {
            now += kVirtualStep;
            rejected += policy.evaluate(pool[static_cast<std::size_t>(i) & (kPoolSize - 1)], now).rejected;
        }
        stages["policy"] = nsPer(start, kRounds);
    }
    {
        VirtualClock clock;
        CircuitBreaker breaker(QStringLiteral("bench"), config.breaker, clock);
        const auto start = Wall::now();
        for (int i = 0; i < kRounds; ++i) {
            const BreakerPermit permit = breaker.tryAcquire();
            breaker.onSuccess(permit);
        }
        stages["breaker"] = nsPer(start, kRounds);
    }
    {
        KanbanQueue<Confirmation> queue(4096, 4096);
        const Confirmation sample{pool[0].id, QStringLiteral("rcpt"), pool[0].merchantId, 100};
        const auto start = Wall::now();
        for (int i = 0; i < kRounds; ++i) {
            Confirmation item = sample;
            queue.tryPush(std::move(item));
            auto pulled = queue.tryPull();
            queue.done();
        }
        stages["queue_handoff"] = nsPer(start, kRounds);
    }
    {
        PaymentPipeline::Reply ignore;
        KaizenMetrics metrics(QStringList{QStringLiteral("a"), QStringLiteral("b")});
        TimePoint now = TimePoint{} + 24h;
        const auto start = Wall::now();
        for (int i = 0; i < kRounds; ++i) {
            now += kVirtualStep;
            metrics.record(i & 1, now);
            metrics.recordLatency(std::chrono::microseconds(i & 1023));
        }
        stages["metrics"] = nsPer(start, kRounds);
    }
    {
        SeededRandom random(kSeed);
        std::size_t length = 0;
        const auto start = Wall::now();
        for (int i = 0; i < kRounds; ++i) {
            const std::uint64_t high = random.next();
            length += traceIdFrom(high, random.next()).size();
        }
        stages["trace"] = nsPer(start, kRounds);
    }
    return stages;
}

SoakRun measureSoak(const PaymentsConfig& config, double warmupSeconds, double seconds) {
    PipelineRig rig(config);
    const auto runFor = [&rig](double duration) {
        std::uint64_t signals = 0;
        const auto start = Wall::now();
        while (secondsSince(start) < duration) {
            rig.submitBatch();
            signals += kCheckEvery;
        }
        return signals;
    };
    runFor(warmupSeconds);
    SoakRun run;
    run.seconds = seconds;
    run.rssBeforeMb = residentMb();
    run.signals = runFor(seconds);
    run.rssAfterMb = residentMb();
    run.counters = rig.finish();
    return run;
}

}  // namespace tai::app
