#pragma once

#include "trace/kept_trace.h"

#include <QHash>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace tai {

// What to look for: every given tag must match exactly (for example customer and outcome).
struct TraceQuery {
    QString traceId;  // exact, or empty
    std::vector<std::pair<QString, QString>> tags;
    std::size_t limit = 100;
};

// The bounded trace store of §12 (default 10 000 traces): the oldest goes when it is full. The
// engine thread adds; the API and the console read from their own threads. Adding a trace whose
// id is already kept replaces it (a deployment's trace grows as its actions run).
class TraceStore {
public:
    explicit TraceStore(std::size_t capacity = 10'000) : capacity_(capacity) {}

    void add(std::shared_ptr<const KeptTrace> trace);
    std::shared_ptr<const KeptTrace> find(const QString& traceId) const;
    // Newest first.
    std::vector<std::shared_ptr<const KeptTrace>> search(const TraceQuery& query) const;
    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }
    std::uint64_t kept() const;

private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::deque<std::shared_ptr<const KeptTrace>> traces_;  // oldest first
    QHash<QString, std::shared_ptr<const KeptTrace>> byId_;
    std::uint64_t kept_ = 0;
};

}  // namespace tai
