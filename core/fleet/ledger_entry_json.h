#pragma once

#include "fleet/fleet_error.h"
#include "fleet/idempotency_ledger.h"

#include <QByteArray>

namespace tai::fleet {

// A LedgerEntry as the bytes stored under k.<sha256> (compact JSON, version 1; bytes in base64).
// The revision is the store's, not part of the value.
QByteArray encodeLedgerEntry(const LedgerEntry& entry);
// The stored bytes back; BadData names the field that is missing or wrong.
FleetResult<LedgerEntry> decodeLedgerEntry(const QByteArray& bytes, std::uint64_t revision);

}  // namespace tai::fleet
