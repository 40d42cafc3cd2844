#pragma once

#include <functional>
#include <thread>

namespace tai {

// DESIGN.md §3: the GUI thread never touches SQLite. The console names its GUI thread here once;
// every way into SQLite in the audit layer (opening a connection, a query, an export, a key
// lookup) checks the calling thread first. The check is one atomic load, so it stays in every
// build: a debug build stops at the violation (qFatal), a release build logs it.
class SqliteThreadGuard {
public:
    using Handler = std::function<void(const char* where)>;

    // The thread that must never touch SQLite; a default-constructed id lifts the rule.
    static void forbid(std::thread::id thread);
    static std::thread::id forbidden();
    // Replaces what happens on a violation (tests record it instead of stopping). An empty
    // handler restores the build's default.
    static void setViolationHandler(Handler handler);
    // Called at each way into SQLite; `where` names it for the message.
    static void check(const char* where);
};

}  // namespace tai
