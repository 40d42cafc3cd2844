#pragma once

#include "jidoka/breaker_types.h"

#include <cstdint>
#include <vector>

namespace tai {

// The calls a sliding-window breaker judges (Resilience4j's sliding windows): the results of the
// last N calls (count), or of the calls that finished in the last N seconds (time, one bucket a
// second, so a call leaves the window within a second of its age reaching N). Totals are kept as
// calls are recorded, so recording and reading are O(1) and allocate nothing.
class BreakerWindow {
public:
    struct Totals {
        int calls = 0;
        int failures = 0;
        int slowCalls = 0;
    };

    void configure(BreakerWindowType type, int size);  // and empties it
    void clear();
    void record(bool failed, bool slow, TimePoint at);
    Totals totals(TimePoint now) const;

private:
    struct Bucket {
        std::int64_t second = 0;
        Totals totals;
    };
    static std::int64_t secondOf(TimePoint at);
    void expireBefore(std::int64_t second);

    BreakerWindowType type_ = BreakerWindowType::Count;
    int size_ = 0;
    Totals totals_;
    // count: one entry per call, bit 0 failed and bit 1 slow, as a ring of `size_`
    std::vector<std::uint8_t> outcomes_;
    std::size_t next_ = 0;
    // time: one bucket per second, as a ring of `size_`; buckets_[s % size_] holds second s
    std::vector<Bucket> buckets_;
    std::int64_t latestSecond_ = 0;
};

}  // namespace tai
