#include "http/http_connection.h"

#include "http/http_io_loop.h"
#include "http/http_response_writer.h"
#include "http/http_status.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>

namespace tai {

namespace {

constexpr int kReadsPerService = 8;  // then the loop serves the others before coming back
constexpr std::size_t kKeptOutputCapacity = std::size_t{16} * 1024;
constexpr qint64 kLingerDiscardBytes = qint64{4} * 1024 * 1024;

QByteArray seconds(std::chrono::milliseconds timeout) {
    return QByteArray::number(static_cast<double>(timeout.count()) / 1000.0) + " s";
}

}  // namespace

HttpConnection::HttpConnection(HttpIoLoop& loop, int fd, HttpConnectionKey key, QByteArray peer)
    : loop_(loop), fd_(fd), key_(key), parser_(loop.context().limits, *this, std::move(peer)) {
    for (HttpDeadlineHook& hook : hooks_) {
        hook.connection = this;
    }
}

HttpConnection::~HttpConnection() {
    ::close(fd_);
}

bool HttpConnection::handleEvents(std::uint32_t events) {
    if ((events & EPOLLERR) != 0) {
        return false;  // reset or unreachable: nothing more can be written
    }
    if ((events & EPOLLOUT) != 0) {
        writable_ = true;
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0) {
        readable_ = true;
    }
    if ((events & (EPOLLRDHUP | EPOLLHUP)) != 0) {
        hangupSeen_ = true;  // the end of the stream is there to read, after whatever data
    }
    return service();
}

bool HttpConnection::service() {
    servicing_ = true;
    bool keep = true;
    for (int round = 0; keep; ++round) {
        flushAnswered();
        keep = writeOutput();
        if (!keep || !wantsInput()) {
            break;
        }
        if (round == kReadsPerService) {
            loop_.markDirty(*this);
            break;
        }
        bool progressed = false;
        keep = readInput(progressed);
        if (!progressed) {
            break;
        }
    }
    servicing_ = false;
    return keep && settle();
}

bool HttpConnection::wantsInput() const {
    if (lingering_) {
        return readable_;
    }
    if (!accepting_ || slots_.size() >= loop_.context().options.maxPendingRequests ||
        unsent() > loop_.context().options.maxUnsentBytes) {
        return false;  // back-pressure: the kernel's buffers fill and TCP stops the client
    }
    return readable_ || !leftover_.empty();
}

bool HttpConnection::readInput(bool& progressed) {
    if (lingering_) {
        return discardInput(progressed);
    }
    if (!leftover_.empty()) {
        const std::size_t used = parser_.feed(leftover_.data(), leftover_.size());
        leftover_.erase(0, used);
        progressed = true;
        afterParse();
        return true;
    }
    const std::span<char> buffer = loop_.readBuffer();
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) {
        progressed = true;
        const auto size = static_cast<std::size_t>(n);
        // A short read drained the socket, and any later byte is a new edge; but a FIN that came
        // with this edge brings none, so keep reading to its end of stream.
        readable_ = size == buffer.size() || hangupSeen_;
        const std::size_t used = parser_.feed(buffer.data(), size);
        if (used < size && parser_.state() == HttpRequestParser::State::Paused) {
            leftover_.assign(buffer.data() + used, size - used);
        }
        afterParse();
        return true;
    }
    if (n == 0) {
        progressed = true;
        readable_ = false;
        peerClosed_ = true;
        parser_.finish();
        afterParse();
        accepting_ = false;
        closeAfterAnswers_ = true;
        return true;
    }
    if (errno == EINTR) {
        progressed = true;
        return true;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        readable_ = false;
        return true;
    }
    return false;  // reset: the client is gone
}

bool HttpConnection::discardInput(bool& progressed) {
    const std::span<char> buffer = loop_.readBuffer();
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) {
        progressed = true;
        readable_ = static_cast<std::size_t>(n) == buffer.size() || hangupSeen_;
        discarded_ += n;
        return discarded_ <= kLingerDiscardBytes;
    }
    if (n < 0 && errno == EINTR) {
        progressed = true;
        return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        readable_ = false;
        return true;
    }
    return false;  // the client closed too, or reset: done
}

void HttpConnection::afterParse() {
    switch (parser_.state()) {
        case HttpRequestParser::State::Failed:
            fail(parser_.errorStatus(), parser_.errorMessage().toByteArray());
            break;
        case HttpRequestParser::State::Finished:
            accepting_ = false;
            closeAfterAnswers_ = true;
            leftover_.clear();  // pipelined after the last request: never answered
            break;
        case HttpRequestParser::State::Reading:
        case HttpRequestParser::State::Paused:
            break;
    }
}

void HttpConnection::fail(int status, const QByteArray& message) {
    parser_.abandon();
    clearDeadline(HttpDeadline::Header);
    clearDeadline(HttpDeadline::Request);
    leftover_.clear();
    accepting_ = false;
    closeAfterAnswers_ = true;
    HttpReplySlot slot;
    slot.response = httpErrorResponse(status, message);
    slot.answered = true;
    slot.close = true;
    heldBytes_ += slot.response.body.size();
    slots_.push(std::move(slot));
}

void HttpConnection::requestStarted() {
    clearDeadline(HttpDeadline::Idle);
    setDeadline(HttpDeadline::Header, loop_.context().options.headerTimeout);
    setDeadline(HttpDeadline::Request, loop_.context().options.requestTimeout);
}

void HttpConnection::headersComplete(bool expectsContinue) {
    clearDeadline(HttpDeadline::Header);
    if (expectsContinue && slots_.empty() && unsent() == 0) {
        out_.append("HTTP/1.1 100 Continue\r\n\r\n");
    }
}

bool HttpConnection::requestComplete(HttpRequest&& request, bool http10) {
    clearDeadline(HttpDeadline::Header);
    clearDeadline(HttpDeadline::Request);
    HttpReplySlot slot;
    slot.head = request.head;
    slot.close = !request.keepAlive;
    slot.http10 = http10;
    const std::uint64_t sequence = slots_.push(std::move(slot));
    loop_.dispatch(*this, sequence, std::move(request));
    return slots_.size() < loop_.context().options.maxPendingRequests;
}

void HttpConnection::deliver(std::uint64_t sequence, HttpResponse&& response) {
    HttpReplySlot* slot = slots_.find(sequence);
    if (slot == nullptr || slot->answered) {
        return;
    }
    if (response.status >= 500) {
        loop_.context().recordServerError(response.status, response.body);
    }
    heldBytes_ += response.body.size();
    slot->response = std::move(response);
    slot->answered = true;
    if (!servicing_) {
        loop_.markDirty(*this);
    }
}

void HttpConnection::flushAnswered() {
    while (!slots_.empty() && slots_.front().answered) {
        const HttpReplySlot& slot = slots_.front();
        appendHttpResponse(out_, slot, loop_.date());
        heldBytes_ -= slot.response.body.size();
        const bool close = slot.close;
        slots_.popFront();
        if (close) {
            accepting_ = false;
            closeAfterAnswers_ = true;
            break;
        }
    }
}

bool HttpConnection::writeOutput() {
    bool progressed = false;
    while (sent_ < out_.size() && writable_) {
        const ssize_t n = ::send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
        if (n > 0) {
            sent_ += static_cast<std::size_t>(n);
            progressed = true;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            writable_ = false;
        } else {
            return false;  // the client is gone
        }
    }
    if (progressed && hook(HttpDeadline::Idle).linked) {
        setDeadline(HttpDeadline::Idle, loop_.context().options.idleTimeout);  // reading us is not idle
    }
    if (sent_ == out_.size() && sent_ > 0) {
        out_.clear();
        sent_ = 0;
        if (out_.capacity() > kKeptOutputCapacity) {
            std::string().swap(out_);
        }
    }
    return true;
}

bool HttpConnection::settle() {
    if (lingering_) {
        return true;
    }
    if (closeAfterAnswers_ && slots_.empty() && unsent() == 0) {
        if (peerClosed_ || stopping_) {
            return false;
        }
        // Shut our side and drain what the client still sends, so it reads the last answer
        // instead of a reset; the linger deadline and a byte budget bound the draining.
        ::shutdown(fd_, SHUT_WR);
        lingering_ = true;
        readable_ = true;
        clearDeadline(HttpDeadline::Idle);
        setDeadline(HttpDeadline::Linger, loop_.context().options.lingerTimeout);
        loop_.markDirty(*this);
        return true;
    }
    // Idle: no request being read and none owed. Unsent bytes do not count: a client that
    // stops reading is as silent as one that stops writing.
    if (!parser_.inRequest() && slots_.empty()) {
        if (!hook(HttpDeadline::Idle).linked) {
            setDeadline(HttpDeadline::Idle, loop_.context().options.idleTimeout);
        }
    } else {
        clearDeadline(HttpDeadline::Idle);
    }
    return true;
}

bool HttpConnection::expire(HttpDeadline kind) {
    const HttpServerOptions& options = loop_.context().options;
    switch (kind) {
        case HttpDeadline::Idle:
        case HttpDeadline::Linger:
            return false;
        case HttpDeadline::Header:
            fail(408, "request: headers not complete within " + seconds(options.headerTimeout));
            return service();
        case HttpDeadline::Request:
            fail(408, "request: not complete within " + seconds(options.requestTimeout));
            return service();
    }
    return false;
}

bool HttpConnection::beginStop() {
    stopping_ = true;
    if (parser_.inRequest() || accepting_) {
        parser_.abandon();
    }
    clearDeadline(HttpDeadline::Header);
    clearDeadline(HttpDeadline::Request);
    leftover_.clear();
    accepting_ = false;
    closeAfterAnswers_ = true;
    return !lingering_ && !(slots_.empty() && unsent() == 0);
}

void HttpConnection::answerUnanswered() {
    for (std::size_t i = 0; i < static_cast<std::size_t>(slots_.size()); ++i) {
        HttpReplySlot& slot = slots_.at(i);
        if (!slot.answered) {
            slot.response = httpErrorResponse(503, "server: stopping before it answered");
            slot.answered = true;
            heldBytes_ += slot.response.body.size();
        }
    }
}

qint64 HttpConnection::footprint() const {
    return static_cast<qint64>(out_.capacity() + leftover_.capacity() +
                               slots_.capacity() * sizeof(HttpReplySlot)) +
           parser_.bufferedBytes() + heldBytes_;
}

void HttpConnection::setDeadline(HttpDeadline kind, std::chrono::milliseconds timeout) {
    loop_.deadlines(kind).append(hook(kind), loop_.now() + timeout);
}

void HttpConnection::clearDeadline(HttpDeadline kind) {
    loop_.deadlines(kind).remove(hook(kind));
}

}  // namespace tai
