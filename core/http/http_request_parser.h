#pragma once

#include "http/http_request.h"

#include <http_parser.h>

#include <cstddef>

namespace tai {

// Reads one connection's requests with http-parser, applying the limits while the bytes arrive:
// nothing beyond a limit is ever stored, whatever the client sends. http-parser keeps no buffer
// of its own (it hands out slices of what it is fed), so a connection holds only the request it
// is building.
class HttpRequestParser {
public:
    struct Limits {
        qsizetype requestLineBytes = qsizetype{8} * 1024;  // the request target, path and query
        qsizetype headerBytes = qsizetype{32} * 1024;      // all header lines, trailers included
        qsizetype bodyBytes = qsizetype{64} * 1024;
    };

    // What the connection hears from the parser, in order, on the thread that feeds it.
    class Sink {
    public:
        virtual void requestStarted() = 0;
        virtual void headersComplete(bool expectsContinue) = 0;
        // False pauses the parser after this request (the connection's pipeline is full).
        virtual bool requestComplete(HttpRequest&& request, bool http10) = 0;

    protected:
        ~Sink() = default;
    };

    enum class State {
        Reading,   // wants more bytes
        Paused,    // the sink asked for a pause; feed() again to go on
        Finished,  // the last request of the connection is read (Connection: close, HTTP/1.0,
                   // Upgrade): whatever follows is not read
        Failed,    // errorStatus() and errorMessage() say why; nothing more is read
    };

    HttpRequestParser(const Limits& limits, Sink& sink, QByteArray peer);
    HttpRequestParser(const HttpRequestParser&) = delete;
    HttpRequestParser& operator=(const HttpRequestParser&) = delete;

    // Parses as much of `data` as it can and returns how many bytes it used: all of them unless
    // it paused, finished or failed.
    std::size_t feed(const char* data, std::size_t size);
    // The client closed its side: a request half read fails with 400.
    void finish();
    // Forgets the request being read; nothing more is parsed (a deadline passed, or stop).
    void abandon();

    State state() const { return state_; }
    bool inRequest() const { return inRequest_; }
    int errorStatus() const { return errorStatus_; }
    QByteArrayView errorMessage() const { return errorMessage_; }
    // Bytes held for the request being read.
    qsizetype bufferedBytes() const;

private:
    static int onMessageBegin(http_parser* parser);
    static int onUrl(http_parser* parser, const char* at, std::size_t length);
    static int onHeaderField(http_parser* parser, const char* at, std::size_t length);
    static int onHeaderValue(http_parser* parser, const char* at, std::size_t length);
    static int onHeadersComplete(http_parser* parser);
    static int onBody(http_parser* parser, const char* at, std::size_t length);
    static int onMessageComplete(http_parser* parser);

    bool countHeaderBytes(std::size_t length);
    bool finishHeader();
    bool splitTarget();
    int fail(int status, const QByteArray& message);  // returns what a failing callback returns

    Limits limits_;
    Sink& sink_;
    QByteArray peer_;
    http_parser parser_{};
    State state_ = State::Reading;
    int errorStatus_ = 0;
    QByteArray errorMessage_;

    // The request being read.
    HttpRequest request_;
    QByteArray target_;
    QByteArray name_;
    QByteArray value_;
    bool inValue_ = false;
    bool inRequest_ = false;
    bool headersDone_ = false;  // header callbacks after this are trailers: counted, not kept
    bool expectsContinue_ = false;
    int hosts_ = 0;
    int authorizations_ = 0;
};

}  // namespace tai
