#pragma once

#include "fleet/fleet_error.h"
#include "fleet/sparse_latency_histogram.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <vector>

namespace tai::fleet {

// What one instance publishes twice a second on tai.<fleet>.snap.<instance> (FLEET.md §14.3): a
// compact, versioned JSON document of at most 16 KiB. Generic on purpose: states, severities and
// counter names are the engine's strings, rollouts are opaque JSON objects.
struct FleetSnapshot {
    static constexpr int kVersion = 1;
    static constexpr int kMaxBytes = 16 * 1024;

    struct Breaker {
        QString name;
        QString state;  // "closed", "open", "half_open"
        bool forced = false;
        QString owner;  // who set the state: "system", or the operator who forced it

        bool operator==(const Breaker&) const = default;
    };
    struct Queue {
        QString name;
        std::int64_t depth = 0;
        std::int64_t capacity = 0;

        bool operator==(const Queue&) const = default;
    };
    struct Alert {
        QString rule;
        QString subject;
        QString severity;  // "low", "high", "critical"
        QString state;     // "pending", "firing", "resolved"

        bool operator==(const Alert&) const = default;
    };

    QString instance;
    std::uint64_t sequence = 0;  // per publisher, from 1; restarts with the process
    std::int64_t publishedAtMs = 0;
    QString light;  // "green", "yellow", "red"
    std::vector<Breaker> breakers;
    std::vector<Queue> queues;
    double tokenFill = 0;                       // 0..1
    std::map<QString, std::uint64_t> counters;  // cumulative outcome counts since countersSinceMs
    std::int64_t countersSinceMs = 0;           // changes when the counters restart from zero
    SparseLatencyHistogram latency;             // this interval's latencies
    QString latencyUnit = QStringLiteral("us");
    std::vector<Alert> alerts;
    std::vector<QJsonObject> rollouts;  // active rollouts, opaque
    QString policyVersion;
    bool leader = false;
    QStringList truncated;  // sections left out to stay within kMaxBytes (set by encode)
};

// The JSON bytes, at most kMaxBytes: when too large, rollouts and then alerts are left out (named
// in "truncated", and in `leftOut` if given); TooLarge if even that does not fit.
FleetResult<QByteArray> encodeFleetSnapshot(const FleetSnapshot& snapshot, QStringList* leftOut = nullptr);
// Hostile input gets a BadData error naming the field, never a crash; more than kMaxBytes is refused.
FleetResult<FleetSnapshot> decodeFleetSnapshot(const QByteArray& bytes);

}  // namespace tai::fleet

Q_DECLARE_METATYPE(tai::fleet::FleetSnapshot)
