#include "kaizen/latency_buckets.h"

namespace tai {

const std::vector<std::uint64_t>& latencyBucketBoundsMicros() {
    static const std::vector<std::uint64_t> bounds = [] {
        std::vector<std::uint64_t> out;
        for (std::uint64_t decade = 1; decade <= 1'000'000; decade *= 10) {  // 1 µs … 9 s
            for (std::uint64_t step = 1; step <= 9; ++step) {
                out.push_back(step * decade);
            }
        }
        for (std::uint64_t seconds = 10; seconds <= 60; seconds += 10) {
            out.push_back(seconds * 1'000'000);
        }
        return out;
    }();
    return bounds;
}

}  // namespace tai
