#pragma once

#include "http/http_deadline_list.h"
#include "http/http_reply_queue.h"
#include "http/http_reply_slots.h"
#include "http/http_request_parser.h"

#include <array>
#include <cstdint>
#include <string>

namespace tai {

class HttpIoLoop;

// One accepted socket on one I/O loop: it reads requests through its HttpRequestParser, keeps
// their answers in order, writes them, and applies back-pressure. Only its loop's thread touches
// it. Every entry point returns false when the connection is to be closed now; the loop closes
// it (never the connection itself, so no method runs on a deleted `this`).
class HttpConnection final : private HttpRequestParser::Sink {
public:
    HttpConnection(HttpIoLoop& loop, int fd, HttpConnectionKey key, QByteArray peer);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    HttpConnectionKey key() const { return key_; }
    HttpDeadlineHook& hook(HttpDeadline kind) { return hooks_[static_cast<std::size_t>(kind)]; }

    bool handleEvents(std::uint32_t events);  // epoll said it can be read or written
    bool service();                           // read, parse, write as far as it can now
    bool expire(HttpDeadline kind);           // one of its deadlines passed
    void deliver(std::uint64_t sequence, HttpResponse&& response);

    // stop(): read nothing more and forget a request half read. False when nothing is owed.
    bool beginStop();
    // The stop timeout passed: 503 for every request still owed an answer.
    void answerUnanswered();

    // Bytes this connection holds, for HttpServerStats::bufferedBytes.
    qint64 footprint() const;
    qint64 accountedBytes = 0;  // what the loop last counted for it
    bool dirty = false;         // on the loop's list to be serviced again

private:
    void requestStarted() override;
    void headersComplete(bool expectsContinue) override;
    bool requestComplete(HttpRequest&& request, bool http10) override;

    bool wantsInput() const;
    bool readInput(bool& progressed);
    bool discardInput(bool& progressed);
    void afterParse();
    void fail(int status, const QByteArray& message);
    void flushAnswered();
    bool writeOutput();
    bool settle();
    qsizetype unsent() const { return static_cast<qsizetype>(out_.size() - sent_); }
    void setDeadline(HttpDeadline kind, std::chrono::milliseconds timeout);
    void clearDeadline(HttpDeadline kind);

    HttpIoLoop& loop_;
    const int fd_;
    const HttpConnectionKey key_;
    HttpRequestParser parser_;
    HttpReplySlots slots_;
    std::string out_;       // answers serialized, not yet sent; capacity reused
    std::size_t sent_ = 0;  // bytes of out_ already sent
    std::string leftover_;  // input read but not parsed while the pipeline was full
    qint64 heldBytes_ = 0;  // answer bodies waiting for their turn
    qint64 discarded_ = 0;  // input thrown away while lingering
    std::array<HttpDeadlineHook, kHttpDeadlineKinds> hooks_{};

    bool readable_ = true;  // edge-triggered: true until a read comes back short or EAGAIN
    bool writable_ = true;
    bool hangupSeen_ = false;         // epoll reported the client's FIN
    bool accepting_ = true;           // still reading requests
    bool closeAfterAnswers_ = false;  // close once everything owed is written
    bool peerClosed_ = false;         // the client shut its side
    bool lingering_ = false;          // our side shut; draining input before the close
    bool stopping_ = false;
    bool servicing_ = false;
};

}  // namespace tai
