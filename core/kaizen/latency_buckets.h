#pragma once

#include <cstdint>
#include <vector>

namespace tai {

// The upper bounds, in microseconds, of the latency histogram as Prometheus sees it: log-linear
// from 1 µs to 60 s, nine linear steps in each decade (1, 2, … 9 × 10^k µs), then 10 … 60 s.
// Prometheus interpolates linearly inside a bucket, so with steps this fine
// histogram_quantile() lands in the bucket that holds the engine's own percentile; the old
// decade-spaced buckets put a 15 µs p99 somewhere between 10 and 100 µs.
const std::vector<std::uint64_t>& latencyBucketBoundsMicros();

}  // namespace tai
