#pragma once

#include <QStringView>

#include <cstdint>

namespace tai {

// SplitMix64: tiny, fast, well mixed. Keyed by (seed, signal id) so a signal's simulated fate does
// not depend on which thread handled it or what ran before it (DESIGN.md §8).
class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    SeededRandom(std::uint64_t seed, QStringView key, std::uint64_t salt = 0);

    std::uint64_t next();
    double uniform();  // [0, 1)
    std::uint64_t below(std::uint64_t bound);

    static std::uint64_t hash(QStringView text, std::uint64_t seed = 0xcbf29ce484222325ULL);

private:
    std::uint64_t state_;
};

}  // namespace tai
