#pragma once

#include "fleet/fleet_snapshot.h"
#include "fleet/sparse_latency_histogram.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tai::fleet {

// The whole fleet as the console shows it: one immutable value, folded from every instance's
// snapshots. Honest merging: an instance silent for 3 intervals is listed (greyed) as not
// reporting and left out of every sum; breakers are counted per state; counters are summed with
// restarts carried over; rates come from summed numerators and denominators; percentiles come from
// the merged histogram.
struct FleetView {
    struct Instance {
        QString instance;
        bool reporting = false;
        std::int64_t lastSeenMs = 0;  // when its last snapshot arrived (this process's clock)
        FleetSnapshot snapshot;       // that snapshot
    };
    struct Breaker {
        QString name;
        std::map<QString, int> byState;  // over reporting instances
        int forced = 0;                  // reporting instances where it is forced
        int notReporting = 0;            // silent instances that last reported this breaker
        int total = 0;                   // every instance that reports (or reported) this breaker

        QString worstState() const;  // open, then half_open, then closed
        int count(const QString& state) const;
        QString summary() const;  // "OPEN on 2 of 5 · 1 not reporting"
    };
    struct Alert {
        QString rule;
        QString subject;
        QString severity;  // the highest among the instances
        QString state;     // firing if any instance fires it, else pending, else resolved
        QStringList instances;
    };

    std::int64_t atMs = 0;
    std::vector<Instance> instances;  // in id order; never hidden
    int reporting = 0;
    std::vector<Breaker> breakers;                  // in name order
    std::map<QString, std::uint64_t> counters;      // cumulative, summed over reporting instances
    std::map<QString, std::uint64_t> windowCounts;  // the increase over the rate window, summed
    std::map<QString, double> ratesPerSecond;       // Σ per-instance increase / span
    SparseLatencyHistogram latency;                 // merged over reporting instances and the window
    double latencyP50 = 0;
    double latencyP99 = 0;
    QString latencyUnit;
    std::vector<Alert> alerts;
    QStringList leaders;                    // reporting instances that say they lead (1 is healthy)
    std::map<QString, int> policyVersions;  // version → reporting instances on it

    const Instance* find(const QString& instance) const;
    const Breaker* breaker(const QString& name) const;
    // Σ numerator increase / Σ denominator increase over the window; nullopt when nothing counted.
    std::optional<double> ratio(const QString& numerator, const QString& denominator) const;
};

using FleetViewPtr = std::shared_ptr<const FleetView>;

}  // namespace tai::fleet

Q_DECLARE_METATYPE(tai::fleet::FleetViewPtr)
