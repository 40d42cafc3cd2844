#pragma once

#include "audit/audit_types.h"
#include "payments/payments_config.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tai::app {

// Counters of one pipeline run, for the §13 reconciliation:
// received = charged + rejected + shed + failed + invalid + duplicate + conflict.
struct Reconciliation {
    std::uint64_t received = 0;
    std::uint64_t charged = 0;
    std::uint64_t rejected = 0;
    std::uint64_t shed = 0;
    std::uint64_t failed = 0;  // circuit_open, gateway_error, gateway_timeout
    std::uint64_t invalid = 0;
    std::uint64_t duplicate = 0;
    std::uint64_t conflict = 0;
    std::uint64_t metricsTotal = 0;  // what Kaizen counted, which must agree

    std::uint64_t decided() const {
        return charged + rejected + shed + failed + invalid + duplicate + conflict;
    }
    bool holds() const { return received == decided() && metricsTotal == received; }
};

struct ThroughputRun {
    double signalsPerS = 0;
    std::uint64_t signals = 0;
    double allocationsPerSignal = 0;  // on the thread that runs the pipeline
    Reconciliation counters;
};

struct LatencyRun {
    double offeredPerS = 0;
    double p50Us = 0;
    double p99Us = 0;
    double p999Us = 0;
    double maxUs = 0;
};

struct QueueRun {
    double kanbanPerS = 0;
    double moodycamelPerS = 0;
};

struct SoakRun {
    double seconds = 0;
    double rssBeforeMb = 0;
    double rssAfterMb = 0;
    std::uint64_t signals = 0;
    Reconciliation counters;
};

// The payment pipeline of §4.3 on its own, as the engine thread runs it: idempotency, the fraud
// policy, the admission Kanban, the token bucket, the gateway breaker, the simulated gateway at
// zero latency, and the confirmation Kanban drained by worker threads. Signals come from a
// pre-generated pool (the load generator's own cost is not the pipeline's). Virtual time moves
// 1 ms per signal, in steps of 1024 signals as the engine's load ticks do, so every customer stays
// under the velocity limit and hour-long windows and evictions are exercised within seconds of wall time.
// Gateway calls unlimited by the token bucket, as the targets ask for the pipeline's own cost.
PaymentsConfig openWide(PaymentsConfig config);

ThroughputRun measurePipeline(const PaymentsConfig& config, double seconds);
// The same policy and gateway functions called in a plain loop on one thread.
ThroughputRun measureBareLoop(const PaymentsConfig& config, double seconds);
// One producer and one consumer handing over the same number of items through our KanbanQueue
// and through moodycamel::BlockingConcurrentQueue.
QueueRun measureQueues(double seconds);
// Signals scheduled at a fixed rate; each latency is measured from its scheduled start, so a
// stall delays everything behind it (no coordinated omission).
LatencyRun measureLatency(const PaymentsConfig& config, double offeredPerS, double seconds);
// The pipeline with the durable SQLite audit trail (group commit, fsync) in `directory`.
ThroughputRun measureDurable(const PaymentsConfig& config, const std::string& directory, double seconds);
// The decision rows the durable run writes for the first `count` signals of the pool, captured as
// the durable journal builds them.
std::vector<AuditRow> decisionRows(const PaymentsConfig& config, std::size_t count);
// The physical limit under the durable run: `rows` inserted in a bare loop straight through
// sqlite3 into the audit schema, with the same durability (WAL, synchronous=FULL, the same page
// size) and the same 1000 rows per commit. Rows per second.
double measureSqliteBare(const std::vector<AuditRow>& rows, const std::string& directory, double seconds);
// ns per signal for each stage on its own.
std::map<std::string, double> measureStages(const PaymentsConfig& config);
// The pipeline flat out for `seconds` after `warmupSeconds`; RSS before and after.
SoakRun measureSoak(const PaymentsConfig& config, double warmupSeconds, double seconds);

double residentMb();

}  // namespace tai::app
