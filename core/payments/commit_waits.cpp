#include "payments/commit_waits.h"

#include <utility>
#include <vector>

namespace tai {

CommitWaits::CommitWaits(Clock& clock, Duration patience) : clock_(clock), patience_(patience) {}

CommitWaits::~CommitWaits() {
    if (timer_ != 0) {
        clock_.cancel(timer_);
    }
}

CommitWaits::Ticket CommitWaits::add(Reply reply, PaymentResponse pending) {
    const Ticket ticket = front_ + entries_.size();
    const TimePoint now = clock_.now();
    entries_.push_back(Entry{std::move(reply), std::move(pending), now, now + patience_});
    ++waiting_;
    arm();
    return ticket;
}

void CommitWaits::release(Ticket ticket, const PaymentResponse& response) {
    if (ticket < front_ || ticket - front_ >= entries_.size()) {
        return;  // answered "pending" and dropped already
    }
    Entry& entry = entries_[ticket - front_];
    if (!entry.reply) {
        return;
    }
    const Reply reply = std::move(entry.reply);
    entry.reply = nullptr;
    --waiting_;
    dropAnswered();
    reply(response);
}

void CommitWaits::dropAnswered() {
    while (!entries_.empty() && !entries_.front().reply) {
        entries_.pop_front();
        ++front_;
    }
    // The timer stays armed when nothing waits: cancelling and re-arming it for every payment
    // would cost the hot path two timer-queue operations; a spare sweep costs nothing.
}

void CommitWaits::arm() {
    if (timer_ != 0 || entries_.empty()) {
        return;
    }
    timer_ = clock_.schedule(entries_.front().deadline, [this] {
        timer_ = 0;
        sweep();
    });
}

void CommitWaits::sweep() {
    const TimePoint now = clock_.now();
    // Take every reply that is due first: a reply may call back into the pipeline, and with it
    // into add(), which would move the entries under a running loop.
    std::vector<std::pair<Reply, PaymentResponse>> due;
    for (Entry& entry : entries_) {
        if (entry.deadline > now) {
            break;
        }
        if (entry.reply) {
            entry.pending.processing += now - entry.added;
            due.emplace_back(std::move(entry.reply), std::move(entry.pending));
            entry.reply = nullptr;
            --waiting_;
            ++answeredPending_;
        }
    }
    dropAnswered();
    arm();
    for (auto& [reply, pending] : due) {
        reply(pending);
    }
}

PaymentResponse pendingAnswer(const PaymentResponse& decided, bool keyed) {
    PaymentResponse r;
    r.outcome = decided.outcome;
    r.original = decided.original;
    r.id = decided.id;
    r.traceId = decided.traceId;
    r.commitPending = true;
    r.processing = decided.processing;  // sweep() adds the wait
    r.retryAfter = std::chrono::seconds(1);
    r.breakerAfter = decided.breakerAfter;
    r.error = keyed ? QStringLiteral(
                          "storage: outcome pending, not yet durable; retry with the same idempotency key "
                          "to get it")
                    : QStringLiteral(
                          "storage: outcome pending, not yet durable; without an idempotency key a retry "
                          "is a new payment");
    return r;
}

PaymentResponse storageRefusal(const QString& id, const QString& traceId, Duration retryAfter) {
    PaymentResponse r;
    r.id = id;
    r.traceId = traceId;
    r.outcome = PaymentOutcome::CircuitOpen;
    r.retryAfter = retryAfter;
    r.error = QStringLiteral(
        "storage: the audit trail cannot commit, so nothing can be charged now; nothing was charged, retry "
        "later");
    return r;
}

}  // namespace tai
