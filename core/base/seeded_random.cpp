#include "base/seeded_random.h"

namespace tai {

SeededRandom::SeededRandom(std::uint64_t seed, QStringView key, std::uint64_t salt)
    : state_(hash(key, seed ^ 0x9e3779b97f4a7c15ULL) ^ (salt * 0xbf58476d1ce4e5b9ULL)) {}

std::uint64_t SeededRandom::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double SeededRandom::uniform() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t SeededRandom::below(std::uint64_t bound) {
    return bound == 0 ? 0 : next() % bound;
}

std::uint64_t SeededRandom::hash(QStringView text, std::uint64_t seed) {
    std::uint64_t h = seed;  // FNV-1a over UTF-16 code units
    for (const QChar c : text) {
        h ^= c.unicode();
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace tai
