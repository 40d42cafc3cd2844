#pragma once

#include <QString>

#include <cstdint>

namespace tai {

// W3C trace ids (16 bytes) and UUIDs, either deterministic from (seed, key) for replay and
// scenarios, or from a caller-provided random source in live mode.
// 32 lowercase hex digits (a W3C trace id). All zeros is invalid, so it becomes 0…010…0.
QString traceIdFrom(std::uint64_t high, std::uint64_t low);
QString makeTraceId(std::uint64_t seed, QStringView key);
QString makeSpanId(std::uint64_t seed, QStringView key);
QString makeUuid(std::uint64_t seed, QStringView key);

}  // namespace tai
