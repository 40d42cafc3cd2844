#include "heijunka/least_loaded_dispatcher.h"

#include <algorithm>

namespace tai {

LeastLoadedDispatcher::LeastLoadedDispatcher(int lanes)
    : load_(static_cast<std::size_t>(std::max(1, lanes)), 0),
      dispatched_(static_cast<std::size_t>(std::max(1, lanes)), 0) {}

int LeastLoadedDispatcher::acquire() {
    const auto lane = static_cast<std::size_t>(std::min_element(load_.begin(), load_.end()) - load_.begin());
    ++load_[lane];
    ++dispatched_[lane];
    ++total_;
    return static_cast<int>(lane);
}

void LeastLoadedDispatcher::release(int lane) {
    auto& load = load_.at(static_cast<std::size_t>(lane));
    if (load > 0) {
        --load;
        --total_;
    }
}

}  // namespace tai
