#include "fleet/sparse_latency_histogram.h"

#include "kaizen/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tai::fleet {

namespace {
// The layout is kaizen's; only its constants are used here, so tai::fleet links nothing of tai::core.
constexpr int kSubBucketBits = tai::LatencyHistogram::kSubBucketBits;
constexpr int kSubBuckets = tai::LatencyHistogram::kSubBuckets;
constexpr int kMaxExponent = tai::LatencyHistogram::kMaxExponent;
constexpr int kBuckets = tai::LatencyHistogram::kBuckets;
static_assert(kSubBuckets == 1 << kSubBucketBits);
}  // namespace

int SparseLatencyHistogram::bucketCount() {
    return kBuckets;
}

int SparseLatencyHistogram::bucketIndex(std::uint64_t value) {
    if (value < kSubBuckets) {
        return static_cast<int>(value);
    }
    const int exponent = std::min(63 - std::countl_zero(value), kMaxExponent);
    const int shift = exponent - kSubBucketBits;
    const auto mantissa = std::min<std::uint64_t>(value >> shift, 2 * kSubBuckets - 1);
    return kSubBuckets + shift * kSubBuckets + static_cast<int>(mantissa - kSubBuckets);
}

std::uint64_t SparseLatencyHistogram::bucketLow(int index) {
    if (index < kSubBuckets) {
        return static_cast<std::uint64_t>(index);
    }
    const int shift = (index - kSubBuckets) / kSubBuckets;
    const auto mantissa = static_cast<std::uint64_t>(kSubBuckets + (index - kSubBuckets) % kSubBuckets);
    return mantissa << shift;
}

std::uint64_t SparseLatencyHistogram::bucketHigh(int index) {
    if (index < kSubBuckets) {
        return static_cast<std::uint64_t>(index) + 1;
    }
    const int shift = (index - kSubBuckets) / kSubBuckets;
    return bucketLow(index) + (std::uint64_t{1} << shift);
}

void SparseLatencyHistogram::record(std::uint64_t value) {
    ++buckets_[bucketIndex(value)];
    ++total_;
    max_ = std::max(max_, value);
}

bool SparseLatencyHistogram::add(int bucketIndex, std::uint64_t count) {
    if (bucketIndex < 0 || bucketIndex >= kBuckets) {
        return false;
    }
    if (count == 0) {
        return true;
    }
    buckets_[bucketIndex] += count;
    total_ += count;
    return true;
}

void SparseLatencyHistogram::merge(const SparseLatencyHistogram& other) {
    for (const auto& [index, count] : other.buckets_) {
        buckets_[index] += count;
    }
    total_ += other.total_;
    max_ = std::max(max_, other.max_);
}

double SparseLatencyHistogram::percentile(double q) const {
    if (total_ == 0) {
        return 0;
    }
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))));
    std::uint64_t seen = 0;
    for (const auto& [index, count] : buckets_) {
        seen += count;
        if (seen >= rank) {
            if (index < kSubBuckets) {
                return static_cast<double>(index);
            }
            const double mid =
                (static_cast<double>(bucketLow(index)) + static_cast<double>(bucketHigh(index) - 1)) / 2.0;
            // Without a known max (a snapshot that did not carry one), the midpoint stands.
            return max_ == 0 ? mid : std::min(mid, static_cast<double>(max_));
        }
    }
    return static_cast<double>(max_);
}

}  // namespace tai::fleet
