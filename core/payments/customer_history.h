#pragma once

#include "base/clock.h"

#include <QHash>
#include <QString>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tai {

// Per-customer activity for the velocity and currency rules, bounded two ways:
// - per customer, only what can change a decision is kept: the newest (maxPerWindow + 1) times
//   and the newest (maxDistinct + 1) currencies, because the rules only ask "more than N?";
// - customers idle for longer than the longest window are evicted.
// Times must not go back (the engine clock never does), so neither bound changes a decision.
class CustomerHistory {
public:
    struct Counts {
        int inVelocityWindow = 0;    // this signal included
        int distinctCurrencies = 0;  // this signal included
    };

    void configure(int velocityMax, Duration velocityWindow, int currencyMax, Duration currencyWindow);
    Counts record(const QString& customer, const QString& currency, TimePoint at);

    std::size_t customers() const { return customers_.size(); }

private:
    struct Activity {
        std::vector<TimePoint> recent;  // oldest first, at most maxPerWindow + 1
        std::vector<std::pair<std::uint32_t, TimePoint>> currencies;  // packed code → last seen
        TimePoint lastSeen;
    };
    // Not noexcept on purpose: libstdc++ then caches each node's hash and compares it before the
    // strings, so a probe costs no string compare (QHash compares keys on every probe).
    struct KeyHash {
        std::size_t operator()(const QString& key) const { return qHash(key); }
    };
    void sweepSome(TimePoint now);

    int velocityMax_ = 5;
    Duration velocityWindow_ = std::chrono::seconds(60);
    int currencyMax_ = 2;
    Duration currencyWindow_ = std::chrono::seconds(3600);
    std::unordered_map<QString, Activity, KeyHash> customers_;
    // Idle customers are evicted a few buckets per call, so no single payment pays for a sweep
    // of millions of customers (that was a millisecond stall at p99.9).
    TimePoint lastSweep_;
    TimePoint sweepHorizon_;
    std::size_t sweepCursor_ = 0;
    bool sweeping_ = false;
    std::vector<QString> evict_;
};

}  // namespace tai
