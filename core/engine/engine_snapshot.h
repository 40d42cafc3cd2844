#pragma once

#include "andon/alert_notifiers.h"
#include "andon/andon_board.h"
#include "base/clock.h"
#include "deployments/infra_simulator.h"
#include "deployments/rollout_types.h"
#include "jidoka/breaker_types.h"
#include "kaizen/rate.h"
#include "kanban/kanban_queue.h"
#include "payments/gateway_simulator.h"
#include "payments/payment_outcome.h"

#include <QMetaType>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace tai {

struct BreakerView {
    BreakerStatus status;
    std::vector<BreakerTransition> recent;  // newest last, at most 10
    QString system;                         // the reference system that owns it: payments, deployments
    QString region;                         // the region it guards; empty for a system-wide breaker
};

struct QueueView {
    QString name;
    KanbanCounters counters;
    int workers = 0;
    int busyWorkers = 0;
};

struct KpiView {
    double throughputPerS = 0;  // signals decided per second over the last window
    Rate successRate;           // charged / (charged + gateway failures + circuit_open + queue_full)
    Rate rejectRate;            // rejected / policy decisions
    Rate errorRate;             // gateway failures / gateway calls
    double p50Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    OutcomeCounts totals{};
    std::uint64_t received = 0;
    std::uint64_t confirmed = 0;
    // Lifetime latency as Prometheus buckets: upper bounds in seconds and cumulative counts.
    std::vector<std::pair<double, std::uint64_t>> latencyBuckets;
    double latencySumSeconds = 0;
    std::uint64_t latencyCount = 0;
    // The rest of the seed's metric set (§11).
    std::uint64_t breakerTrips = 0;  // every breaker, since start
    std::uint64_t rollbacks = 0;     // regions rolled back, since start
    double lastDeploymentS = -1;     // request to completion of the newest completed rollout
    std::uint64_t deploymentsCompleted = 0;
    double mttrS = -1;  // mean detection → weight 0 over rollbacks; -1 without one
};

// The durable store's health (issue 14), for /readyz and the console. `durable` is false for an
// in-memory trail, which has no storage breaker.
struct StorageView {
    bool durable = false;
    bool ok = true;
    QString lastError;
    std::int64_t failingSinceMs = 0;
    std::uint64_t failedAttempts = 0;
    std::size_t pendingRows = 0;        // rows queued or in commit
    std::size_t repliesWaiting = 0;     // payment replies waiting for their commit
    std::uint64_t answeredPending = 0;  // replies that waited the action timeout and heard "pending"
};

// One second of chart history.
struct KpiSample {
    std::int64_t second = 0;  // epoch seconds
    OutcomeCounts counts{};
    double p50Ms = 0;
    double p99Ms = 0;
    std::uint64_t admissionDepth = 0;
    std::uint64_t confirmationDepth = 0;
};

struct TimelineEvent {
    std::uint64_t sequence = 0;
    TimePoint at;
    QString kind;  // breaker_transition, operator, deployment, andon, shed, policy, system
    QString subject;
    QString text;
    bool refused = false;  // an operator command the engine did not carry out
};

// Everything the UI and the read-only API may know, as one immutable value (DESIGN.md §3).
struct EngineSnapshot {
    std::uint64_t sequence = 0;
    TimePoint at;
    bool virtualTime = false;
    QString policyVersion;
    std::vector<BreakerView> breakers;
    std::vector<QueueView> queues;  // admission, confirmation
    double tokenFill = 0;
    int tokenBurst = 0;
    int tokenRatePerS = 0;
    std::vector<int> laneLoad;
    GatewayFault gatewayFault;
    QString gateway;  // "simulator" or the real gateway's URL
    int loadPerSecond = 0;
    int burstPerSecond = 0;  // an operator burst on top of the load, while it runs
    double burstSecondsLeft = 0;
    KpiView kpis;
    AndonLight light = AndonLight::Green;
    QString lightReason;
    std::vector<ActiveAlert> alerts;        // pending and firing, firing first, worst first
    std::vector<ActiveAlert> alertHistory;  // resolved, newest first (at most 50)
    std::vector<AlertSilence> silences;     // in force now
    std::vector<NotifierStatus> notifiers;  // outbound webhook and Alertmanager, if configured
    std::vector<RolloutView> rollouts;
    std::vector<RejectedDeployment> rejectedDeployments;  // the newest, oldest first
    std::vector<InfraFault> infraFaults;
    std::vector<KpiSample> history;  // last 300 s, oldest first
    // The last hour, oldest first: rebuilt once a second and shared by that second's snapshots.
    std::shared_ptr<const std::vector<KpiSample>> hourHistory;
    std::vector<TimelineEvent> timeline;  // newest last, at most 200
    StorageView storage;
    int minSamples = 20;
};

using SnapshotPtr = std::shared_ptr<const EngineSnapshot>;

}  // namespace tai

Q_DECLARE_METATYPE(tai::SnapshotPtr)
