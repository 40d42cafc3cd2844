#pragma once

// What the payments system knows about stored idempotency rows, for the audit layer's callbacks
// (the audit layer does not know the response format, and payments/ does not know the audit
// layer): checking a row, and rebuilding one from a decision. The engine, which sees both, hands
// them to AuditStore::Options and RecoveryOptions.

#include "audit/audit_types.h"

#include <QString>

#include <optional>

namespace tai {

// For AuditStore::Options::validateKey and RecoveryOptions::validateKey: empty when the row holds a
// 64-hex-digit request hash and a parseable payment response with an outcome that is stored.
QString validatePaymentKeyRow(const IdempotencyRow& row);

// For RecoveryOptions::keyFromDecision: the key row behind a decision row (its payload carries the
// request's canonical fields and the response), for outcomes that are stored.
std::optional<IdempotencyRow> paymentKeyFromDecision(const AuditRow& row);

}  // namespace tai
