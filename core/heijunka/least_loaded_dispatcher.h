#pragma once

#include <cstdint>
#include <vector>

namespace tai {

// Heijunka: spreads work over N lanes (workers, connections) by picking the lane with the least
// work in flight; ties go to the lowest index, so dispatch is deterministic. Not thread-safe.
class LeastLoadedDispatcher {
public:
    explicit LeastLoadedDispatcher(int lanes);

    int acquire();  // picks a lane and counts the work on it
    void release(int lane);

    int lanes() const { return static_cast<int>(load_.size()); }
    int load(int lane) const { return load_.at(static_cast<std::size_t>(lane)); }
    int totalLoad() const { return total_; }
    std::uint64_t dispatched(int lane) const { return dispatched_.at(static_cast<std::size_t>(lane)); }

private:
    std::vector<int> load_;
    std::vector<std::uint64_t> dispatched_;
    int total_ = 0;
};

}  // namespace tai
