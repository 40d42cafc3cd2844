#pragma once

#include "base/clock.h"

#include <cstdint>
#include <vector>

namespace tai {

// Per-second counts for a fixed set of categories over the last `seconds` seconds: a ring of
// one-second slots. Backs the rolling rates and the 1 s chart history. Single writer.
class RollingWindow {
public:
    RollingWindow(int categories, int seconds);

    void add(TimePoint at, int category, std::uint64_t n = 1);
    // Sums per category over the `seconds` whole seconds ending with the one holding `now`.
    std::vector<std::uint64_t> sum(TimePoint now, int seconds) const;
    // Count in category for the second starting at epoch second `second` (0 if outside the ring).
    std::uint64_t at(std::int64_t second, int category) const;

    int categories() const { return categories_; }
    int seconds() const { return seconds_; }

private:
    std::size_t slotOf(std::int64_t second) const;
    void rollTo(std::int64_t second);

    int categories_;
    int seconds_;
    std::vector<std::uint64_t> counts_;     // seconds_ × categories_
    std::vector<std::int64_t> slotSecond_;  // which epoch second each slot holds
    std::int64_t latestSecond_ = 0;
};

}  // namespace tai
