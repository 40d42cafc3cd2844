#pragma once

#include <cstdint>

namespace tai {

// A rate with the samples behind it: below the minimum it is "not enough data", never 0 % (§11).
struct Rate {
    double value = 0;
    std::uint64_t samples = 0;
    bool enoughData = false;
};

// part ÷ whole, marked "not enough data" below `minSamples`.
inline Rate rateOf(std::uint64_t part, std::uint64_t whole, int minSamples) {
    Rate r;
    r.samples = whole;
    r.enoughData = whole >= static_cast<std::uint64_t>(minSamples) && whole > 0;
    r.value = whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0;
    return r;
}

}  // namespace tai
