#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <http_parser.h>

#include <cstddef>
#include <deque>

namespace tai {

// One response as HttpResponseReader read it.
struct HttpParsedResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-case
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(QByteArrayView name) const {
        for (const auto& [key, value] : headers) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
};

// Reads the responses of one client connection with http-parser: HttpLoadClient's reader
// (status only, nothing kept) and the tests' (everything kept).
class HttpResponseReader {
public:
    enum class Keep { StatusOnly, Everything };

    explicit HttpResponseReader(Keep keep = Keep::Everything);
    HttpResponseReader(const HttpResponseReader&) = delete;
    HttpResponseReader& operator=(const HttpResponseReader&) = delete;

    // The next response not yet expected answers a HEAD (or not): a HEAD's answer has a
    // Content-Length but no body. Call once per request sent, in order, when HEADs are mixed in.
    void expect(bool head) { heads_.push_back(head); }

    // False once the bytes are not HTTP; error() says why.
    bool feed(const char* data, std::size_t size);
    bool feed(const QByteArray& bytes) {
        return feed(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    }
    // The server closed: completes a response delimited by the close.
    bool finish();

    // Complete responses, oldest first, final ones only (1xx interim answers are counted in
    // interim(), not listed). Take them with takeFirst(); in StatusOnly mode only status and
    // keepAlive are filled.
    bool hasResponse() const { return !responses_.empty(); }
    HttpParsedResponse takeFirst();
    int interim() const { return interim_; }
    bool inResponse() const { return inResponse_; }
    bool failed() const { return failed_; }
    QString error() const { return error_; }

private:
    static int onMessageBegin(http_parser* parser);
    static int onHeaderField(http_parser* parser, const char* at, std::size_t length);
    static int onHeaderValue(http_parser* parser, const char* at, std::size_t length);
    static int onHeadersComplete(http_parser* parser);
    static int onBody(http_parser* parser, const char* at, std::size_t length);
    static int onMessageComplete(http_parser* parser);
    void finishHeader();

    const Keep keep_;
    http_parser parser_{};
    std::deque<bool> heads_;
    std::deque<HttpParsedResponse> responses_;
    HttpParsedResponse current_;
    QByteArray name_;
    QByteArray value_;
    bool inValue_ = false;
    bool inResponse_ = false;
    int interim_ = 0;
    bool failed_ = false;
    QString error_;
};

}  // namespace tai
