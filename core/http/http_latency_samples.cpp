#include "http/http_latency_samples.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tai {

HttpLatencySamples::HttpLatencySamples(std::size_t capacity, std::uint64_t seed)
    : capacity_(std::max<std::size_t>(capacity, 1)), random_(seed) {}

void HttpLatencySamples::record(std::uint64_t nanoseconds) {
    const auto kept = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(nanoseconds, std::numeric_limits<std::uint32_t>::max()));
    max_ = std::max(max_, nanoseconds);
    ++seen_;
    if (samples_.size() < capacity_) {
        if (samples_.capacity() == samples_.size()) {
            samples_.reserve(std::min(capacity_, std::max<std::size_t>(samples_.size() * 2, 4096)));
        }
        samples_.push_back(kept);
        return;
    }
    const std::uint64_t slot = std::uniform_int_distribution<std::uint64_t>(0, seen_ - 1)(random_);
    if (slot < capacity_) {
        samples_[slot] = kept;
    }
}

void HttpLatencySamples::merge(const HttpLatencySamples& other) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
    seen_ += other.seen_;
    max_ = std::max(max_, other.max_);
}

HttpLatencySummary HttpLatencySamples::summary() {
    HttpLatencySummary summary;
    summary.count = seen_;
    summary.maxMs = static_cast<double>(max_) / 1e6;
    if (samples_.empty()) {
        return summary;
    }
    std::sort(samples_.begin(), samples_.end());
    const auto at = [this](double q) {
        // The smallest sample with at least q of them at or below it.
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples_.size())));
        return static_cast<double>(samples_[std::clamp<std::size_t>(rank, 1, samples_.size()) - 1]) / 1e6;
    };
    summary.p50Ms = at(0.50);
    summary.p99Ms = at(0.99);
    summary.p999Ms = at(0.999);
    return summary;
}

}  // namespace tai
