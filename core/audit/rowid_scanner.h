#pragma once

// Internal to recovery: reads a possibly damaged table row by row in rowid order, stepping over
// the parts that cannot be read.

#include "audit/sqlite_connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <optional>

namespace tai {

class RowidScanner {
public:
    // `select` must read "... FROM table WHERE rowid >= ? ORDER BY rowid" with the rowid first.
    RowidScanner(SqliteConnection& db, const char* select) : select_(db.prepare(select, &error_)) {}

    bool valid() const { return select_.valid(); }
    QString error() const { return error_; }
    // Rowids inside the spans that could not be read (an upper bound on the rows lost there).
    std::int64_t unreadableRowids() const { return unreadable_; }
    bool unreadableTail() const { return unreadableTail_; }

    // Calls `row(statement)` for every row that can be read.
    template <typename RowFunction>
    void scan(RowFunction row) {
        std::int64_t next = std::numeric_limits<std::int64_t>::min();
        for (;;) {
            select_.bind(1, next);
            int rc;
            while ((rc = select_.step()) == SQLITE_ROW) {
                const std::int64_t rowid = select_.integer(0);
                if (rowid < next) {  // a damaged tree can hand back rows out of order: never go round again
                    rc = SQLITE_CORRUPT;
                    break;
                }
                row(select_);
                if (rowid == std::numeric_limits<std::int64_t>::max()) {
                    rc = SQLITE_DONE;
                    break;
                }
                next = rowid + 1;
            }
            select_.reset();
            if (rc == SQLITE_DONE) {
                return;
            }
            const auto resume = nextReadable(next);
            if (!resume) {
                unreadableTail_ = true;  // nothing after `next` could be reached
                return;
            }
            unreadable_ += resume->firstRowid - next;
            next = resume->start;
        }
    }

private:
    enum class Probe { Row, Done, Error };
    struct Resume {
        std::int64_t start;
        std::int64_t firstRowid;
    };

    Probe probe(std::int64_t start, std::int64_t* rowid) {
        select_.bind(1, start);
        int rc = select_.step();
        if (rc == SQLITE_ROW) {
            *rowid = select_.integer(0);
            if (*rowid < start) {
                rc = SQLITE_CORRUPT;
            }
        }
        select_.reset();
        return rc == SQLITE_ROW ? Probe::Row : rc == SQLITE_DONE ? Probe::Done : Probe::Error;
    }

    // Doubling steps past the damage, then a bisection back to the first start that reads.
    std::optional<Resume> nextReadable(std::int64_t failedAt) {
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        std::int64_t rowid = 0;
        std::int64_t good = 0;
        for (std::int64_t step = 1;; step *= 2) {
            if (failedAt == kMax || step > kMax - failedAt) {
                return std::nullopt;
            }
            const Probe p = probe(failedAt + step, &rowid);
            if (p == Probe::Done) {
                return std::nullopt;
            }
            if (p == Probe::Row) {
                good = failedAt + step;
                break;
            }
            if (step > kMax / 2) {
                return std::nullopt;
            }
        }
        std::int64_t bad = failedAt;
        std::int64_t firstRowid = rowid;
        while (good - bad > 1) {
            const std::int64_t middle = bad + (good - bad) / 2;
            if (probe(middle, &rowid) == Probe::Row) {
                good = middle;
                firstRowid = rowid;
            } else {
                bad = middle;
            }
        }
        return Resume{good, firstRowid};
    }

    QString error_;
    SqliteStatement select_;
    std::int64_t unreadable_ = 0;
    bool unreadableTail_ = false;
};

}  // namespace tai
