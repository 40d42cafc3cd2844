#include "trace/trace_store.h"

namespace tai {

QString spanIdHex(std::uint64_t id) {
    return QString::number(id, 16).rightJustified(16, QLatin1Char('0'));
}

void TraceStore::add(std::shared_ptr<const PaymentTrace> trace) {
    std::lock_guard lock(mutex_);
    ++kept_;
    if (capacity_ == 0) {
        return;
    }
    while (traces_.size() >= capacity_) {
        const auto& oldest = traces_.front();
        if (const auto it = byId_.find(oldest->traceId); it != byId_.end() && it.value() == oldest) {
            byId_.erase(it);
        }
        traces_.pop_front();
    }
    byId_.insert(trace->traceId, trace);  // a continued trace id: the newest payment wins
    traces_.push_back(std::move(trace));
}

std::shared_ptr<const PaymentTrace> TraceStore::find(const QString& traceId) const {
    std::lock_guard lock(mutex_);
    return byId_.value(traceId);
}

std::vector<std::shared_ptr<const PaymentTrace>> TraceStore::search(const TraceQuery& query) const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<const PaymentTrace>> out;
    for (auto it = traces_.rbegin(); it != traces_.rend() && out.size() < query.limit; ++it) {
        const PaymentTrace& t = **it;
        if ((!query.traceId.isEmpty() && t.traceId != query.traceId) ||
            (!query.customerId.isEmpty() && t.customerId != query.customerId) ||
            (query.outcome && t.outcome != *query.outcome)) {
            continue;
        }
        out.push_back(*it);
    }
    return out;
}

std::size_t TraceStore::size() const {
    std::lock_guard lock(mutex_);
    return traces_.size();
}

std::uint64_t TraceStore::kept() const {
    std::lock_guard lock(mutex_);
    return kept_;
}

}  // namespace tai
