#include "kaizen/rolling_window.h"

#include <algorithm>

namespace tai {

namespace {
std::int64_t epochSecond(TimePoint t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}
}  // namespace

RollingWindow::RollingWindow(int categories, int seconds)
    : categories_(std::max(1, categories)),
      seconds_(std::max(1, seconds)),
      counts_(static_cast<std::size_t>(categories_) * static_cast<std::size_t>(seconds_), 0),
      slotSecond_(static_cast<std::size_t>(seconds_), -1) {}

std::size_t RollingWindow::slotOf(std::int64_t second) const {
    const auto n = static_cast<std::int64_t>(seconds_);
    return static_cast<std::size_t>(((second % n) + n) % n);
}

void RollingWindow::rollTo(std::int64_t second) {
    const std::size_t slot = slotOf(second);
    if (slotSecond_[slot] != second) {
        std::fill_n(
            counts_.begin() + static_cast<std::ptrdiff_t>(slot * static_cast<std::size_t>(categories_)),
            categories_, 0);
        slotSecond_[slot] = second;
    }
    latestSecond_ = std::max(latestSecond_, second);
}

void RollingWindow::add(TimePoint at, int category, std::uint64_t n) {
    if (category < 0 || category >= categories_) {
        return;
    }
    const std::int64_t second = epochSecond(at);
    if (second <= latestSecond_ - seconds_) {
        return;  // older than the ring holds
    }
    rollTo(second);
    counts_[slotOf(second) * static_cast<std::size_t>(categories_) + static_cast<std::size_t>(category)] += n;
}

std::uint64_t RollingWindow::at(std::int64_t second, int category) const {
    const std::size_t slot = slotOf(second);
    if (slotSecond_[slot] != second || category < 0 || category >= categories_) {
        return 0;
    }
    return counts_[slot * static_cast<std::size_t>(categories_) + static_cast<std::size_t>(category)];
}

std::vector<std::uint64_t> RollingWindow::sum(TimePoint now, int seconds) const {
    std::vector<std::uint64_t> totals(static_cast<std::size_t>(categories_), 0);
    const std::int64_t last = epochSecond(now);
    const int span = std::min(seconds, seconds_);
    for (std::int64_t s = last - span + 1; s <= last; ++s) {
        for (int c = 0; c < categories_; ++c) {
            totals[static_cast<std::size_t>(c)] += at(s, c);
        }
    }
    return totals;
}

}  // namespace tai
