#include "payments/customer_history.h"

#include <algorithm>

namespace tai {

namespace {
std::uint32_t packCurrency(const QString& code) {
    std::uint32_t packed = 0;
    for (const QChar c : code) {
        packed = (packed << 8) | (c.unicode() & 0xff);
    }
    return packed;
}
}  // namespace

void CustomerHistory::configure(int velocityMax, Duration velocityWindow, int currencyMax,
                                Duration currencyWindow) {
    velocityMax_ = velocityMax;
    velocityWindow_ = velocityWindow;
    currencyMax_ = currencyMax;
    currencyWindow_ = currencyWindow;
}

CustomerHistory::Counts CustomerHistory::record(const QString& customer, const QString& currency,
                                                TimePoint at) {
    sweepSome(at);
    Activity& activity = customers_[customer];
    activity.lastSeen = std::max(activity.lastSeen, at);

    // Velocity: times in (at - window, at].
    auto& recent = activity.recent;
    const auto keep = static_cast<std::size_t>(std::max(velocityMax_, 0) + 1);
    if (recent.capacity() == 0) {
        recent.reserve(keep + 1);  // one small allocation per customer, reused from then on
    }
    recent.push_back(at);
    const auto firstInWindow =
        std::find_if(recent.begin(), recent.end(), [&](TimePoint t) { return t > at - velocityWindow_; });
    recent.erase(recent.begin(), firstInWindow);
    if (recent.size() > keep) {
        recent.erase(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(recent.size() - keep));
    }

    // Currency: distinct codes seen in (at - window, at].
    auto& seen = activity.currencies;
    const std::uint32_t code = packCurrency(currency);
    auto found =
        std::find_if(seen.begin(), seen.end(), [code](const auto& entry) { return entry.first == code; });
    if (found != seen.end()) {
        found->second = at;
    } else {
        seen.emplace_back(code, at);
    }
    std::erase_if(seen, [&](const auto& entry) { return entry.second <= at - currencyWindow_; });
    if (static_cast<int>(seen.size()) > currencyMax_ + 1) {
        std::sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        seen.resize(static_cast<std::size_t>(currencyMax_ + 1));
    }
    return {static_cast<int>(recent.size()), static_cast<int>(seen.size())};
}

void CustomerHistory::sweepSome(TimePoint now) {
    const Duration longest = std::max(velocityWindow_, currencyWindow_);
    if (!sweeping_) {
        if (now - lastSweep_ < longest) {
            return;
        }
        sweeping_ = true;
        sweepCursor_ = 0;
        sweepHorizon_ = now - longest;
        lastSweep_ = now;
    }
    constexpr std::size_t kBucketsPerCall = 16;
    const std::size_t end = std::min(customers_.bucket_count(), sweepCursor_ + kBucketsPerCall);
    for (; sweepCursor_ < end; ++sweepCursor_) {
        for (auto it = customers_.cbegin(sweepCursor_); it != customers_.cend(sweepCursor_); ++it) {
            if (it->second.lastSeen <= sweepHorizon_) {
                evict_.push_back(it->first);
            }
        }
    }
    for (const QString& key : evict_) {
        customers_.erase(key);  // erasing never rehashes, so the cursor stays meaningful
    }
    evict_.clear();
    if (sweepCursor_ >= customers_.bucket_count()) {
        sweeping_ = false;
    }
}

}  // namespace tai
