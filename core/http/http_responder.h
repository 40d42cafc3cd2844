#pragma once

#include "http/http_response.h"

#include <cstdint>
#include <memory>

namespace tai {

class HttpReplyQueue;
struct HttpConnectionKey;

// The one answer owed to one request. Move-only: exactly one holder, and respond() takes effect
// once (later calls do nothing). respond() may run on any thread; on the I/O thread inside the
// handler (a synchronous route like /healthz) it goes straight to the connection, elsewhere
// through the loop's HttpReplyQueue. A responder destroyed without an answer answers 503
// {"error":"server: no answer"} itself, so a lost request never hangs its connection. After the
// server has stopped, or the client has gone, an answer is dropped. To keep one in a
// std::function (which must be copyable), hold it in a std::shared_ptr.
class HttpResponder {
public:
    HttpResponder() = default;
    HttpResponder(std::shared_ptr<HttpReplyQueue> queue, HttpConnectionKey connection,
                  std::uint64_t sequence);
    HttpResponder(HttpResponder&& other) noexcept;
    HttpResponder& operator=(HttpResponder&& other) noexcept;
    HttpResponder(const HttpResponder&) = delete;
    HttpResponder& operator=(const HttpResponder&) = delete;
    ~HttpResponder();

    void respond(HttpResponse response);
    bool answered() const { return queue_ == nullptr; }

private:
    std::shared_ptr<HttpReplyQueue> queue_;
    std::uint32_t index_ = 0;
    std::uint32_t generation_ = 0;
    std::uint64_t sequence_ = 0;
};

}  // namespace tai
