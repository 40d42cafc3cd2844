#pragma once

#include "sim/clock.h"

#include <QHash>
#include <QString>

#include <cstdint>
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
    void evictIdle(TimePoint now);

    int velocityMax_ = 5;
    Duration velocityWindow_ = std::chrono::seconds(60);
    int currencyMax_ = 2;
    Duration currencyWindow_ = std::chrono::seconds(3600);
    QHash<QString, Activity> customers_;
    TimePoint lastSweep_;
};

}  // namespace tai
