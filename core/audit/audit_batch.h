#pragma once

// Internal to the audit store: what queues between the engine and the writer thread.

#include "audit/audit_types.h"

#include <cstddef>
#include <functional>
#include <iterator>
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
    std::size_t weight = 0;            // rows, keys and rollouts not yet consumed
    std::size_t consumedRows = 0;      // the writer commits from the front
    std::size_t consumedWrites = 0;

    bool empty() const { return consumedRows == rows.size() && consumedWrites == writes.size(); }
    void clear() {
        rows.clear();
        writes.clear();
        weight = 0;
        consumedRows = 0;
        consumedWrites = 0;
    }
    // Moves everything of `other` onto the end of this batch.
    void takeFrom(Batch& other) {
        if (empty()) {  // the usual case when the writer keeps up: no row moves at all
            clear();
            std::swap(*this, other);
            return;
        }
        const std::size_t offset = rows.size();
        rows.insert(rows.end(), std::make_move_iterator(other.rows.begin()),
                    std::make_move_iterator(other.rows.end()));
        writes.reserve(writes.size() + other.writes.size());
        for (PendingWrite& write : other.writes) {
            write.rowBegin += offset;
            write.rowEnd += offset;
            writes.push_back(std::move(write));
        }
        weight += other.weight;
        other.clear();
    }
    // Marks everything up to `rowEnd` and `writeEnd` committed. The committed front is erased
    // only once it is most of the batch, so a long backlog is not moved once per transaction.
    void consume(std::size_t rowEnd, std::size_t writeEnd, std::size_t consumedWeight) {
        consumedRows = rowEnd;
        consumedWrites = writeEnd;
        weight -= consumedWeight;
        if (empty()) {
            clear();
        } else if (consumedRows + consumedWrites > 8192 &&
                   consumedRows + consumedWrites > (rows.size() + writes.size()) / 2) {
            rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(consumedRows));
            writes.erase(writes.begin(), writes.begin() + static_cast<std::ptrdiff_t>(consumedWrites));
            for (PendingWrite& write : writes) {
                write.rowBegin -= consumedRows;
                write.rowEnd -= consumedRows;
            }
            consumedRows = 0;
            consumedWrites = 0;
        }
    }
};

// What a commit leaves to do once it is on disk, handed to the store's release thread so the
// writer can start the next transaction: the waiting callbacks, in commit order, and the rows to
// free.
struct Committed {
    std::vector<std::function<void()>> callbacks;
    std::vector<AuditRow> rows;
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
