#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace tai {

struct LatencySummary {
    std::uint64_t count = 0;
    double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // in the recorded unit
    double sum = 0;
};

// Kaizen: a log-linear (HDR-style) histogram. Values below 128 are exact; above, each power of
// two is split into 128 linear buckets, so a reported percentile is within 0.4 % of the truth.
// record() is lock-free (relaxed atomics) and may be called from any thread.
class LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 7;
    static constexpr int kSubBuckets = 1 << kSubBucketBits;  // 128
    static constexpr int kMaxExponent = 47;                  // values up to 2^48 (≈ 78 h in ns)
    static constexpr int kBuckets = kSubBuckets + (kMaxExponent - kSubBucketBits + 1) * kSubBuckets;

    void record(std::uint64_t value);
    void reset();
    void mergeFrom(const LatencyHistogram& other);

    std::uint64_t count() const;
    double percentile(double q) const;  // q in [0, 1]
    LatencySummary summary() const;
    // Cumulative counts of values <= each bound (ascending), in one pass: Prometheus buckets.
    std::vector<std::uint64_t> cumulativeCounts(const std::vector<std::uint64_t>& bounds) const;

    static int bucketIndex(std::uint64_t value);
    static std::uint64_t bucketLow(int index);
    static std::uint64_t bucketHigh(int index);  // exclusive

private:
    std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> max_{0};
    std::atomic<std::uint64_t> sum_{0};
};

}  // namespace tai
