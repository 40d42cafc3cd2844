#include "http/http_responder.h"

#include "http/http_reply_queue.h"
#include "http/http_status.h"

namespace tai {

HttpResponder::HttpResponder(std::shared_ptr<HttpReplyQueue> queue, HttpConnectionKey connection,
                             std::uint64_t sequence)
    : queue_(std::move(queue)),
      index_(connection.index),
      generation_(connection.generation),
      sequence_(sequence) {}

HttpResponder::HttpResponder(HttpResponder&& other) noexcept
    : queue_(std::move(other.queue_)),
      index_(other.index_),
      generation_(other.generation_),
      sequence_(other.sequence_) {}

HttpResponder& HttpResponder::operator=(HttpResponder&& other) noexcept {
    if (this != &other) {
        if (queue_ != nullptr) {
            respond(httpErrorResponse(503, "server: no answer"));
        }
        queue_ = std::move(other.queue_);
        index_ = other.index_;
        generation_ = other.generation_;
        sequence_ = other.sequence_;
    }
    return *this;
}

HttpResponder::~HttpResponder() {
    if (queue_ != nullptr) {
        respond(httpErrorResponse(503, "server: no answer"));
    }
}

void HttpResponder::respond(HttpResponse response) {
    if (queue_ == nullptr) {
        return;
    }
    const std::shared_ptr<HttpReplyQueue> queue = std::move(queue_);
    queue->deliver({index_, generation_}, sequence_, std::move(response));
}

}  // namespace tai
