#pragma once

#include "base/clock.h"
#include "payments/payment_response.h"

#include <deque>
#include <functional>

namespace tai {

// Replies whose outcome waits for the commit that makes it durable (§7, issue 14). A commit that
// keeps failing must not hold a client for ever: once a reply has waited `patience`, the client
// hears 503 "outcome pending" (the outcome is decided and may be charged, but is not on disk),
// and a retry with the same idempotency key gets the real outcome once it is committed. The
// commit's own release then finds the reply already given and only drops it.
//
// Engine thread only, one timer at a time (armed for the oldest reply, at most one sweep per
// patience period when commits are healthy). Replies are added in the order they finish, so the
// deadlines are in order too: one sweep from the front answers every reply that is due.
class CommitWaits {
public:
    using Reply = std::function<void(const PaymentResponse&)>;
    using Ticket = std::uint64_t;

    CommitWaits(Clock& clock, Duration patience);
    ~CommitWaits();
    CommitWaits(const CommitWaits&) = delete;
    CommitWaits& operator=(const CommitWaits&) = delete;

    // Holds `reply` until release(ticket) or the deadline. `pending` is what a client that
    // waited too long hears (commitPending set).
    Ticket add(Reply reply, PaymentResponse pending);
    // The commit is done: the reply gets `response`, unless it was answered "pending" already.
    void release(Ticket ticket, const PaymentResponse& response);
    void setPatience(Duration patience) { patience_ = patience; }

    std::size_t waiting() const { return waiting_; }
    std::uint64_t answeredPending() const { return answeredPending_; }

private:
    struct Entry {
        Reply reply;  // empty once answered
        PaymentResponse pending;
        TimePoint added;
        TimePoint deadline;
    };
    void arm();
    void sweep();
    void dropAnswered();

    Clock& clock_;
    Duration patience_;
    std::deque<Entry> entries_;
    Ticket front_ = 1;  // the ticket of entries_.front()
    std::size_t waiting_ = 0;
    std::uint64_t answeredPending_ = 0;
    TimerId timer_ = 0;
};

// The answer given when the commit is late: the outcome is not said, only that it is decided.
PaymentResponse pendingAnswer(const PaymentResponse& decided, bool keyed);
// The answer while the storage breaker is open: 503 circuit_open, refused before the gateway.
PaymentResponse storageRefusal(const QString& id, const QString& traceId, Duration retryAfter);

}  // namespace tai
