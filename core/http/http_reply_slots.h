#pragma once

#include "http/http_response.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tai {

// One request's place in its connection's answer order.
struct HttpReplySlot {
    HttpResponse response;
    bool answered = false;
    bool head = false;    // leave the body off the wire
    bool close = false;   // the connection closes after this answer
    bool http10 = false;  // an HTTP/1.0 client kept alive must be told so
};

// The requests of one connection that are read but not yet written, oldest first: answers
// can arrive in any order and leave in request order. A ring that grows by doubling (up to the
// pipeline cap) and is reused, so a keep-alive connection allocates nothing per request here.
class HttpReplySlots {
public:
    bool empty() const { return count_ == 0; }
    int size() const { return static_cast<int>(count_); }
    std::size_t capacity() const { return ring_.size(); }

    // Returns the new slot's sequence number.
    std::uint64_t push(HttpReplySlot&& slot) {
        if (count_ == ring_.size()) {
            grow();
        }
        ring_[(head_ + count_) & (ring_.size() - 1)] = std::move(slot);
        return first_ + count_++;
    }

    // Null when `sequence` is already written or was never given out.
    HttpReplySlot* find(std::uint64_t sequence) {
        if (sequence < first_ || sequence >= first_ + count_) {
            return nullptr;
        }
        return &ring_[(head_ + (sequence - first_)) & (ring_.size() - 1)];
    }

    HttpReplySlot& front() { return ring_[head_]; }
    HttpReplySlot& at(std::size_t i) { return ring_[(head_ + i) & (ring_.size() - 1)]; }

    void popFront() {
        ring_[head_] = HttpReplySlot();  // releases the answer's buffers now
        head_ = (head_ + 1) & (ring_.size() - 1);
        --count_;
        ++first_;
    }

private:
    void grow() {
        std::vector<HttpReplySlot> bigger(ring_.empty() ? 4 : ring_.size() * 2);
        for (std::size_t i = 0; i < count_; ++i) {
            bigger[i] = std::move(at(i));
        }
        ring_ = std::move(bigger);
        head_ = 0;
    }

    std::vector<HttpReplySlot> ring_;  // size is zero or a power of two
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    std::uint64_t first_ = 0;  // sequence number of the front slot
};

}  // namespace tai
