#pragma once

#include "trace/trace_types.h"

#include <QHash>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace tai {

struct TraceQuery {
    QString traceId;     // exact, or empty
    QString customerId;  // exact, or empty
    std::optional<PaymentOutcome> outcome;
    std::size_t limit = 100;
};

// The bounded trace store of §12 (default 10 000 traces): the oldest goes when it is full.
// The engine thread adds; the API and the console read from their own threads.
class TraceStore {
public:
    explicit TraceStore(std::size_t capacity = 10'000) : capacity_(capacity) {}

    void add(std::shared_ptr<const PaymentTrace> trace);
    std::shared_ptr<const PaymentTrace> find(const QString& traceId) const;
    // Newest first.
    std::vector<std::shared_ptr<const PaymentTrace>> search(const TraceQuery& query) const;
    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }
    std::uint64_t kept() const;

private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::deque<std::shared_ptr<const PaymentTrace>> traces_;  // oldest first
    QHash<QString, std::shared_ptr<const PaymentTrace>> byId_;
    std::uint64_t kept_ = 0;
};

}  // namespace tai
