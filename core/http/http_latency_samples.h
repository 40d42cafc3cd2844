#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace tai {

struct HttpLatencySummary {
    std::uint64_t count = 0;  // latencies recorded (all of them, not only those kept)
    double p50Ms = 0, p99Ms = 0, p999Ms = 0, maxMs = 0;
};

// Latencies for HttpLoadClient, kept as sorted samples rather than through KaizenMetrics'
// LatencyHistogram: tai::http sits under the router, so tai::core will link it, and linking
// back would make a cycle. Exact up to `capacity` samples; beyond, a uniform reservoir
// (Algorithm R, seeded) keeps memory bounded. The maximum is always exact.
class HttpLatencySamples {
public:
    explicit HttpLatencySamples(std::size_t capacity = std::size_t(1) << 22, std::uint64_t seed = 1);

    void record(std::uint64_t nanoseconds);
    void merge(const HttpLatencySamples& other);
    HttpLatencySummary summary();  // sorts in place

private:
    std::size_t capacity_;
    std::vector<std::uint32_t> samples_;  // nanoseconds, clamped at 4.29 s
    std::uint64_t seen_ = 0;
    std::uint64_t max_ = 0;
    std::mt19937_64 random_;
};

}  // namespace tai
