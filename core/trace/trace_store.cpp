#include "trace/trace_store.h"

#include <algorithm>

namespace tai {

void TraceStore::add(std::shared_ptr<const KeptTrace> trace) {
    std::lock_guard lock(mutex_);
    ++kept_;
    if (capacity_ == 0) {
        return;
    }
    if (const auto it = byId_.find(trace->traceId()); it != byId_.end()) {
        // A newer version of a kept trace takes its place; a continued trace id (an incoming
        // traceparent used twice) keeps only the newest payment.
        const auto old = std::find(traces_.begin(), traces_.end(), it.value());
        if (old != traces_.end()) {
            traces_.erase(old);
        }
    }
    while (traces_.size() >= capacity_) {
        const auto& oldest = traces_.front();
        if (const auto it = byId_.find(oldest->traceId()); it != byId_.end() && it.value() == oldest) {
            byId_.erase(it);
        }
        traces_.pop_front();
    }
    byId_.insert(trace->traceId(), trace);
    traces_.push_back(std::move(trace));
}

std::shared_ptr<const KeptTrace> TraceStore::find(const QString& traceId) const {
    std::lock_guard lock(mutex_);
    return byId_.value(traceId);
}

std::vector<std::shared_ptr<const KeptTrace>> TraceStore::search(const TraceQuery& query) const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<const KeptTrace>> out;
    for (auto it = traces_.rbegin(); it != traces_.rend() && out.size() < query.limit; ++it) {
        const KeptTrace& t = **it;
        if (!query.traceId.isEmpty() && t.traceId() != query.traceId) {
            continue;
        }
        const bool matches = std::all_of(query.tags.begin(), query.tags.end(),
                                         [&t](const auto& tag) { return t.tag(tag.first) == tag.second; });
        if (matches) {
            out.push_back(*it);
        }
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
