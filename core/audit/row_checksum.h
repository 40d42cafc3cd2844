#pragma once

#include <QByteArray>

#include <cstdint>

namespace tai {

// A 64-bit checksum over one idempotency row, stored beside it. quick_check sees the shape of
// the file, not what a row says: a few overwritten bytes inside a key or a stored response pass
// it, and a key whose bytes changed would simply never be found again (and be charged twice).
// This is not cryptographic: it detects damage, not forgery.
std::int64_t idempotencyRowChecksum(const QByteArray& keyUtf8, const QByteArray& hash,
                                    const QByteArray& response, std::int64_t storedAtMs);

}  // namespace tai
