#pragma once

#include <cstdint>
#include <map>

namespace tai::fleet {

// The kaizen LatencyHistogram's log-linear buckets (core/kaizen/latency_histogram.h), kept sparse:
// bucket index → count. This is what a FleetSnapshot carries for its interval and what the fleet
// client merges. Merging adds counts bucket by bucket, so a fleet percentile comes from the merged
// distribution (never from averaging the instances' percentiles). Percentiles are computed exactly
// as LatencyHistogram::percentile does (exact below 128; else the bucket's midpoint, capped by the
// largest value seen).
class SparseLatencyHistogram {
public:
    void record(std::uint64_t value);
    // False (and nothing added) for an index outside the layout.
    bool add(int bucketIndex, std::uint64_t count);
    void merge(const SparseLatencyHistogram& other);
    void setMax(std::uint64_t max) { max_ = max; }

    std::uint64_t count() const { return total_; }
    std::uint64_t max() const { return max_; }
    bool empty() const { return total_ == 0; }
    const std::map<int, std::uint64_t>& buckets() const { return buckets_; }
    double percentile(double q) const;  // q in [0, 1]; 0 when empty

    static int bucketCount();
    static int bucketIndex(std::uint64_t value);
    static std::uint64_t bucketLow(int index);
    static std::uint64_t bucketHigh(int index);  // exclusive

private:
    std::map<int, std::uint64_t> buckets_;
    std::uint64_t total_ = 0;
    std::uint64_t max_ = 0;
};

}  // namespace tai::fleet
