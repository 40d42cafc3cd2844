#pragma once

#include <cstdint>

namespace tai::app {

// Heap allocations made so far by the calling thread. The tai-console executable interposes
// malloc and friends with a counting wrapper (a thread-local increment) so `bench` can report
// allocations per signal on the hot path without an external tool.
std::uint64_t threadAllocationCount();
// False in sanitizer builds, whose allocators are left alone (the count then stays 0).
bool allocationCounting();

}  // namespace tai::app
