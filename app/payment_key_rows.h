#pragma once

// What the payments layer knows about stored idempotency rows, for the audit layer's callbacks
// (which do not know the response format): checking a row, and rebuilding one from a decision.
// These belong in payments/; they live here until the engine restructuring gives them a home.

#include "audit/audit_types.h"

#include <QString>

#include <optional>

namespace tai::app {

// For AuditStore::Options::validateKey and RecoveryOptions::validateKey: empty when the row holds a
// 64-hex-digit request hash and a parseable payment response with an outcome that is stored.
QString validatePaymentKeyRow(const IdempotencyRow& row);

// For RecoveryOptions::keyFromDecision: the key row behind a decision row (its payload carries the
// request's canonical fields and the response), for outcomes that are stored.
std::optional<IdempotencyRow> paymentKeyFromDecision(const AuditRow& row);

}  // namespace tai::app
