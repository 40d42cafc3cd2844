#include "jidoka/breaker_window.h"

#include <algorithm>

namespace tai {

namespace {
constexpr std::uint8_t kFailed = 1;
constexpr std::uint8_t kSlow = 2;
}  // namespace

void BreakerWindow::configure(BreakerWindowType type, int size) {
    type_ = type;
    size_ = std::max(1, size);
    outcomes_.assign(type_ == BreakerWindowType::Count ? static_cast<std::size_t>(size_) : 0, 0);
    buckets_.assign(type_ == BreakerWindowType::Time ? static_cast<std::size_t>(size_) : 0, Bucket{});
    clear();
}

void BreakerWindow::clear() {
    totals_ = {};
    next_ = 0;
    std::fill(outcomes_.begin(), outcomes_.end(), std::uint8_t{0});
    std::fill(buckets_.begin(), buckets_.end(), Bucket{});
    latestSecond_ = 0;
}

std::int64_t BreakerWindow::secondOf(TimePoint at) {
    return std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
}

void BreakerWindow::record(bool failed, bool slow, TimePoint at) {
    if (size_ == 0) {
        return;  // not configured: a consecutive breaker
    }
    if (type_ == BreakerWindowType::Count) {
        std::uint8_t& slot = outcomes_[next_];
        if (totals_.calls == size_) {  // full: the oldest call leaves
            --totals_.calls;
            totals_.failures -= (slot & kFailed) != 0 ? 1 : 0;
            totals_.slowCalls -= (slot & kSlow) != 0 ? 1 : 0;
        }
        slot = static_cast<std::uint8_t>((failed ? kFailed : 0) | (slow ? kSlow : 0));
        next_ = (next_ + 1) % outcomes_.size();
    } else {
        // A clock never runs backwards here; should one, the call counts in the newest bucket.
        const std::int64_t second = std::max(secondOf(at), latestSecond_);
        expireBefore(second - size_ + 1);
        latestSecond_ = second;
        Bucket& bucket = buckets_[static_cast<std::size_t>(second % size_)];
        if (bucket.second != second) {
            bucket = Bucket{second, {}};
        }
        ++bucket.totals.calls;
        bucket.totals.failures += failed ? 1 : 0;
        bucket.totals.slowCalls += slow ? 1 : 0;
    }
    ++totals_.calls;
    totals_.failures += failed ? 1 : 0;
    totals_.slowCalls += slow ? 1 : 0;
}

void BreakerWindow::expireBefore(std::int64_t oldest) {
    // The buckets in the window hold seconds latestSecond_ - size_ + 1 … latestSecond_, so this
    // visits at most size_ of them however far the clock jumped.
    const std::int64_t last = std::min(oldest - 1, latestSecond_);
    for (std::int64_t s = latestSecond_ - size_ + 1; s <= last; ++s) {
        Bucket& bucket = buckets_[static_cast<std::size_t>(((s % size_) + size_) % size_)];
        if (bucket.second == s && bucket.totals.calls > 0) {
            totals_.calls -= bucket.totals.calls;
            totals_.failures -= bucket.totals.failures;
            totals_.slowCalls -= bucket.totals.slowCalls;
            bucket.totals = {};
        }
    }
}

BreakerWindow::Totals BreakerWindow::totals(TimePoint now) const {
    if (type_ != BreakerWindowType::Time || secondOf(now) <= latestSecond_) {
        return totals_;
    }
    // Read between calls (a snapshot): leave out the buckets that have aged out since the last
    // call without touching them; the next record() expires them.
    Totals in;
    const std::int64_t oldest = secondOf(now) - size_ + 1;
    for (const Bucket& bucket : buckets_) {
        if (bucket.second >= oldest && bucket.second <= latestSecond_) {
            in.calls += bucket.totals.calls;
            in.failures += bucket.totals.failures;
            in.slowCalls += bucket.totals.slowCalls;
        }
    }
    return in;
}

}  // namespace tai
