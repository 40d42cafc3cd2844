#pragma once

// Internal to the audit store: what queues between the engine and the writer thread.

#include "audit/audit_types.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace tai {

struct RolloutRow {
    QString id;
    QString status;
    QByteArray state;  // JSON
};

// One appendDurable() or putRollout(): its rows are rows[rowBegin, rowEnd) of the batch, and they
// commit in one transaction with its key and rollout row, so a crash never keeps a decision
// without the idempotency record behind it.
struct PendingWrite {
    std::size_t rowBegin = 0;
    std::size_t rowEnd = 0;
    std::optional<IdempotencyRow> key;
    std::uint64_t keyGeneration = 0;  // which version of the key this is, in the store's pending map
    std::optional<RolloutRow> rollout;
    std::function<void()> committed;

    std::size_t weight() const { return rowEnd - rowBegin + (key ? 1 : 0) + (rollout ? 1 : 0); }
};

struct Batch {
    std::vector<AuditRow> rows;
    std::vector<PendingWrite> writes;  // in append order; plain append() rows sit between them

    bool empty() const { return rows.empty() && writes.empty(); }
    std::size_t weight() const {
        std::size_t w = rows.size();
        for (const PendingWrite& write : writes) {
            w += (write.key ? 1 : 0) + (write.rollout ? 1 : 0);
        }
        return w;
    }
};

// A slice of a batch that commits as one transaction: at most `limit` rows (audit, key and
// rollout rows together), never splitting a write, and at least one write or row.
struct Chunk {
    std::size_t rowBegin = 0;
    std::size_t rowEnd = 0;
    std::size_t writeBegin = 0;
    std::size_t writeEnd = 0;
    std::size_t weight = 0;
    bool empty() const { return rowBegin == rowEnd && writeBegin == writeEnd; }
};

inline Chunk nextChunk(const Batch& batch, std::size_t rowBegin, std::size_t writeBegin, std::size_t limit) {
    Chunk chunk{rowBegin, rowBegin, writeBegin, writeBegin, 0};
    for (;;) {
        const std::size_t nextWriteRow =
            chunk.writeEnd < batch.writes.size() ? batch.writes[chunk.writeEnd].rowBegin : batch.rows.size();
        const std::size_t plain = std::min(nextWriteRow - chunk.rowEnd, limit - chunk.weight);
        chunk.rowEnd += plain;
        chunk.weight += plain;
        if (chunk.weight >= limit || chunk.writeEnd == batch.writes.size()) {
            return chunk;
        }
        const PendingWrite& write = batch.writes[chunk.writeEnd];
        if (chunk.weight > 0 && chunk.weight + write.weight() > limit) {
            return chunk;
        }
        chunk.rowEnd = write.rowEnd;
        chunk.weight += write.weight();
        ++chunk.writeEnd;
    }
}

}  // namespace tai
