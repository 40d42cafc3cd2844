#pragma once

#include <chrono>

namespace tai {

class HttpConnection;

// The four clocks a connection can be on. Header and Request run together while a request is
// read; Idle while nothing is read and nothing is owed; Linger after a closing answer.
enum class HttpDeadline { Header, Request, Idle, Linger };
inline constexpr int kHttpDeadlineKinds = 4;

// A connection's place in one HttpDeadlineList.
struct HttpDeadlineHook {
    HttpConnection* connection = nullptr;
    HttpDeadlineHook* previous = nullptr;
    HttpDeadlineHook* next = nullptr;
    std::chrono::steady_clock::time_point at{};
    bool linked = false;
};

// The connections waiting on one kind of deadline (headers, whole request, idle, linger),
// soonest first. Every entry of a list has the same timeout and is added at "now + timeout",
// so appending keeps the list sorted: adding, removing and finding the next deadline are O(1),
// with no allocation and no periodic sweep over every connection.
class HttpDeadlineList {
public:
    void append(HttpDeadlineHook& hook, std::chrono::steady_clock::time_point at) {
        remove(hook);
        hook.at = at;
        hook.previous = tail_;
        hook.next = nullptr;
        (tail_ != nullptr ? tail_->next : head_) = &hook;
        tail_ = &hook;
        hook.linked = true;
    }

    void remove(HttpDeadlineHook& hook) {
        if (!hook.linked) {
            return;
        }
        (hook.previous != nullptr ? hook.previous->next : head_) = hook.next;
        (hook.next != nullptr ? hook.next->previous : tail_) = hook.previous;
        hook.previous = hook.next = nullptr;
        hook.linked = false;
    }

    HttpDeadlineHook* front() const { return head_; }

private:
    HttpDeadlineHook* head_ = nullptr;
    HttpDeadlineHook* tail_ = nullptr;
};

}  // namespace tai
