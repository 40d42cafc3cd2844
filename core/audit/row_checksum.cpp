#include "audit/row_checksum.h"

#include <cstring>

namespace tai {

namespace {
constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kPrime = 0xC2B2AE3D27D4EB4FULL;

std::uint64_t rotate(std::uint64_t v, int bits) {
    return (v << bits) | (v >> (64 - bits));
}

// Eight bytes at a time: the check runs over every stored key at start-up.
std::uint64_t mix(std::uint64_t h, const QByteArray& bytes) {
    const char* data = bytes.constData();
    const std::size_t size = static_cast<std::size_t>(bytes.size());
    h ^= (size + 1) * kPrime;  // lengths are part of it, so bytes cannot move between fields
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        h = rotate(h ^ (word * kPrime), 31) * kMultiplier;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, data + i, size - i);
    return rotate(h ^ (tail * kPrime), 29) * kMultiplier;
}

std::uint64_t finish(std::uint64_t h) {  // the MurmurHash3 finaliser: every bit reaches every bit
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}
}  // namespace

std::int64_t idempotencyRowChecksum(const QByteArray& keyUtf8, const QByteArray& hash,
                                    const QByteArray& response, std::int64_t storedAtMs) {
    std::uint64_t h = 0x7461692D6964656DULL;  // "tai-idem"
    h = mix(h, keyUtf8);
    h = mix(h, hash);
    h = mix(h, response);
    h = rotate(h ^ (static_cast<std::uint64_t>(storedAtMs) * kPrime), 27) * kMultiplier;
    return static_cast<std::int64_t>(finish(h));
}

}  // namespace tai
