#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace tai {

// One append-only audit event (§7): a time, a trace id, a kind, a subject and a JSON payload.
// The sequence is assigned by SQLite when the row is committed.
struct AuditRow {
    std::int64_t atMs = 0;
    QString traceId;
    QString kind;  // decision, breaker_transition, operator, policy, rollout_stage, rollback, alert, system
    QString subject;
    QByteArray payload;  // JSON
    QString policyVersion;
};

struct AuditRecord {
    std::int64_t seq = 0;
    AuditRow row;
};

struct IdempotencyRow {
    QString key;
    QByteArray canonicalHash;
    QByteArray response;  // the stored PaymentResponse as JSON
    std::int64_t storedAtMs = 0;
};

// A filtered, paged read of the audit trail. Pages go by sequence: pass the last seq seen.
struct AuditQuery {
    QStringList kinds;  // empty: all
    QString subject;    // exact
    QString traceId;    // exact
    std::optional<std::int64_t> fromMs;
    std::optional<std::int64_t> toMs;
    std::int64_t afterSeq = 0;
    int limit = 200;
};

}  // namespace tai
