#include "audit/sqlite_thread_guard.h"

#include <QtGlobal>

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>

namespace tai {

namespace {
std::atomic<std::thread::id> forbiddenThread{};
std::mutex handlerMutex;
SqliteThreadGuard::Handler& handler() {
    static SqliteThreadGuard::Handler h;
    return h;
}

void defaultViolation(const char* where) {
#ifndef NDEBUG
    qFatal("SQLite touched from the GUI thread (%s): DESIGN.md §3 forbids it", where);
#else
    spdlog::error("SQLite touched from the GUI thread ({}): DESIGN.md §3 forbids it", where);
#endif
}
}  // namespace

void SqliteThreadGuard::forbid(std::thread::id thread) {
    forbiddenThread.store(thread, std::memory_order_relaxed);
}

std::thread::id SqliteThreadGuard::forbidden() {
    return forbiddenThread.load(std::memory_order_relaxed);
}

void SqliteThreadGuard::setViolationHandler(Handler h) {
    std::lock_guard lock(handlerMutex);
    handler() = std::move(h);
}

void SqliteThreadGuard::check(const char* where) {
    const std::thread::id rule = forbiddenThread.load(std::memory_order_relaxed);
    if (rule == std::thread::id{} || rule != std::this_thread::get_id()) {
        return;
    }
    Handler h;
    {
        std::lock_guard lock(handlerMutex);
        h = handler();
    }
    if (h) {
        h(where);
    } else {
        defaultViolation(where);
    }
}

}  // namespace tai
