#include "kaizen/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tai {

int LatencyHistogram::bucketIndex(std::uint64_t value) {
    if (value < kSubBuckets) {
        return static_cast<int>(value);
    }
    const int exponent = std::min(63 - std::countl_zero(value), kMaxExponent);
    const int shift = exponent - kSubBucketBits;
    const auto mantissa = std::min<std::uint64_t>(value >> shift, 2 * kSubBuckets - 1);  // in [128, 256)
    return kSubBuckets + shift * kSubBuckets + static_cast<int>(mantissa - kSubBuckets);
}

std::uint64_t LatencyHistogram::bucketLow(int index) {
    if (index < kSubBuckets) {
        return static_cast<std::uint64_t>(index);
    }
    const int shift = (index - kSubBuckets) / kSubBuckets;
    const auto mantissa = static_cast<std::uint64_t>(kSubBuckets + (index - kSubBuckets) % kSubBuckets);
    return mantissa << shift;
}

std::uint64_t LatencyHistogram::bucketHigh(int index) {
    if (index < kSubBuckets) {
        return static_cast<std::uint64_t>(index) + 1;
    }
    const int shift = (index - kSubBuckets) / kSubBuckets;
    return bucketLow(index) + (std::uint64_t{1} << shift);
}

void LatencyHistogram::record(std::uint64_t value) {
    counts_[static_cast<std::size_t>(bucketIndex(value))].fetch_add(1, std::memory_order_relaxed);
    total_.fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
    std::uint64_t seen = max_.load(std::memory_order_relaxed);
    while (value > seen && !max_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
}

void LatencyHistogram::reset() {
    for (auto& c : counts_) {
        c.store(0, std::memory_order_relaxed);
    }
    total_.store(0, std::memory_order_relaxed);
    max_.store(0, std::memory_order_relaxed);
    sum_.store(0, std::memory_order_relaxed);
}

void LatencyHistogram::mergeFrom(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        if (const auto c = other.counts_[i].load(std::memory_order_relaxed)) {
            counts_[i].fetch_add(c, std::memory_order_relaxed);
        }
    }
    total_.fetch_add(other.total_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    sum_.fetch_add(other.sum_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    const auto otherMax = other.max_.load(std::memory_order_relaxed);
    std::uint64_t seen = max_.load(std::memory_order_relaxed);
    while (otherMax > seen && !max_.compare_exchange_weak(seen, otherMax, std::memory_order_relaxed)) {
    }
}

std::uint64_t LatencyHistogram::count() const {
    return total_.load(std::memory_order_relaxed);
}

double LatencyHistogram::percentile(double q) const {
    const std::uint64_t total = count();
    if (total == 0) {
        return 0;
    }
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total))));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += counts_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
        if (seen >= rank) {
            if (i < kSubBuckets) {
                return static_cast<double>(i);  // exact
            }
            // The bucket's midpoint, but never above the largest value actually seen.
            const double mid =
                (static_cast<double>(bucketLow(i)) + static_cast<double>(bucketHigh(i) - 1)) / 2.0;
            return std::min(mid, static_cast<double>(max_.load(std::memory_order_relaxed)));
        }
    }
    return static_cast<double>(max_.load(std::memory_order_relaxed));
}

std::vector<std::uint64_t> LatencyHistogram::cumulativeCounts(
    const std::vector<std::uint64_t>& bounds) const {
    std::vector<std::uint64_t> out(bounds.size(), 0);
    std::uint64_t running = 0;
    std::size_t next = 0;
    for (int i = 0; i < kBuckets && next < bounds.size(); ++i) {
        // A bucket counts toward a bound when all of it lies at or below the bound.
        while (next < bounds.size() && bucketHigh(i) - 1 > bounds[next]) {
            out[next++] = running;
        }
        running += counts_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
    }
    while (next < bounds.size()) {
        out[next++] = running;
    }
    return out;
}

LatencySummary LatencyHistogram::summary() const {
    LatencySummary s;
    s.count = count();
    s.p50 = percentile(0.50);
    s.p90 = percentile(0.90);
    s.p99 = percentile(0.99);
    s.p999 = percentile(0.999);
    s.max = static_cast<double>(max_.load(std::memory_order_relaxed));
    s.sum = static_cast<double>(sum_.load(std::memory_order_relaxed));
    return s;
}

}  // namespace tai
