#include "counting_allocator.h"

#include <cstddef>

// Counts heap allocations per thread by interposing glibc's allocation entry points (a documented
// glibc mechanism: the executable's definitions win, and the __libc_* functions do the work).
// Counting at malloc rather than operator new also sees Qt's containers and strings, which
// allocate with malloc directly. The cost is one thread-local increment per allocation.
// Sanitizer builds keep their own interceptors, so there the count stays zero.

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kCounting = false;
#else
constexpr bool kCounting = true;
// initial-exec: the executable's own TLS block, which exists before any code runs and is never
// allocated lazily (an allocation inside malloc would recurse).
__attribute__((tls_model("initial-exec"))) thread_local std::uint64_t allocations = 0;
#endif
}  // namespace

namespace tai::app {
std::uint64_t threadAllocationCount() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return 0;
#else
    return allocations;
#endif
}
bool allocationCounting() {
    return kCounting;
}
}  // namespace tai::app

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);

void* malloc(std::size_t size) {
    ++allocations;
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
    ++allocations;
    return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
    ++allocations;
    return __libc_realloc(pointer, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
    ++allocations;
    return __libc_memalign(alignment, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
    ++allocations;
    return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) {
        return 22;  // EINVAL
    }
    ++allocations;
    void* pointer = __libc_memalign(alignment, size);
    if (pointer == nullptr) {
        return 12;  // ENOMEM
    }
    *out = pointer;
    return 0;
}
}
#endif
