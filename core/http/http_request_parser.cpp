#include "http/http_request_parser.h"

#include <array>
#include <cstring>

namespace tai {

namespace {

HttpRequestParser& self(http_parser* parser) {
    return *static_cast<HttpRequestParser*>(parser->data);
}

// RFC 9110 §5.6.2 tchar. http-parser, built lenient on Debian, lets a space into a name.
constexpr std::array<bool, 256> kTokenChars = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c) table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
    for (const char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}();

// The names nearly every request carries, shared instead of allocated per request.
QByteArray internedName(const QByteArray& name) {
    static const std::array<QByteArray, 12> kNames = {
        QByteArrayLiteral("host"),
        QByteArrayLiteral("content-length"),
        QByteArrayLiteral("content-type"),
        QByteArrayLiteral("authorization"),
        QByteArrayLiteral("connection"),
        QByteArrayLiteral("user-agent"),
        QByteArrayLiteral("accept"),
        QByteArrayLiteral("idempotency-key"),
        QByteArrayLiteral("traceparent"),
        QByteArrayLiteral("transfer-encoding"),
        QByteArrayLiteral("accept-encoding"),
        QByteArrayLiteral("expect"),
    };
    for (const QByteArray& known : kNames) {
        if (known == name) {
            return known;
        }
    }
    return name;
}

QByteArray kib(qsizetype bytes) {
    return QByteArray::number(bytes / 1024) + " KiB";
}

constexpr http_parser_settings makeSettings(http_cb begin, http_data_cb url, http_data_cb field,
                                            http_data_cb value, http_cb headers, http_data_cb body,
                                            http_cb complete) {
    http_parser_settings settings{};
    settings.on_message_begin = begin;
    settings.on_url = url;
    settings.on_header_field = field;
    settings.on_header_value = value;
    settings.on_headers_complete = headers;
    settings.on_body = body;
    settings.on_message_complete = complete;
    return settings;
}

}  // namespace

HttpRequestParser::HttpRequestParser(const Limits& limits, Sink& sink, QByteArray peer)
    : limits_(limits), sink_(sink), peer_(std::move(peer)) {
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
}

std::size_t HttpRequestParser::feed(const char* data, std::size_t size) {
    static constexpr http_parser_settings kSettings =
        makeSettings(&onMessageBegin, &onUrl, &onHeaderField, &onHeaderValue, &onHeadersComplete, &onBody,
                     &onMessageComplete);
    if (state_ == State::Finished || state_ == State::Failed) {
        return 0;
    }
    if (state_ == State::Paused) {
        http_parser_pause(&parser_, 0);
        state_ = State::Reading;
    }
    const std::size_t used = http_parser_execute(&parser_, &kSettings, data, size);
    const http_errno error = HTTP_PARSER_ERRNO(&parser_);
    if (state_ == State::Failed || state_ == State::Finished) {
        return used;  // set by a callback
    }
    if (error == HPE_PAUSED) {
        state_ = State::Paused;
    } else if (error == HPE_HEADER_OVERFLOW) {
        // http-parser's own bound on the head (80 KiB), reached only by bytes no callback saw,
        // such as a flood of whitespace.
        fail(431, "headers: larger than " + kib(limits_.headerBytes) + " in all");
    } else if (error != HPE_OK) {
        fail(400, QByteArray("request: malformed (") + http_errno_description(error) + ')');
    }
    return used;
}

void HttpRequestParser::finish() {
    if (state_ != State::Reading && state_ != State::Paused) {
        return;
    }
    if (inRequest_) {
        fail(400, "request: the connection closed before the request was complete");
    } else {
        state_ = State::Finished;
    }
}

void HttpRequestParser::abandon() {
    inRequest_ = false;
    request_ = HttpRequest();
    if (state_ != State::Failed) {
        state_ = State::Finished;
    }
}

qsizetype HttpRequestParser::bufferedBytes() const {
    return request_.body.capacity() + request_.headerBytes + target_.capacity() + name_.capacity() +
           value_.capacity();
}

int HttpRequestParser::fail(int status, const QByteArray& message) {
    errorStatus_ = status;
    errorMessage_ = message;
    state_ = State::Failed;
    inRequest_ = false;
    request_ = HttpRequest();
    return -1;
}

bool HttpRequestParser::countHeaderBytes(std::size_t length) {
    request_.headerBytes += static_cast<qsizetype>(length);
    if (request_.headerBytes > limits_.headerBytes) {
        fail(431, "headers: larger than " + kib(limits_.headerBytes) + " in all");
        return false;
    }
    return true;
}

bool HttpRequestParser::finishHeader() {
    if (!countHeaderBytes(4)) {  // ": " and CRLF
        return false;
    }
    if (headersDone_) {  // a trailer: bounded and counted above, not kept
        name_.resize(0);
        value_.resize(0);
        return true;
    }
    while (!value_.isEmpty() && (value_.back() == ' ' || value_.back() == '\t')) {
        value_.chop(1);
    }
    if (name_ == "host") {
        ++hosts_;
    } else if (name_ == "authorization") {
        ++authorizations_;
    } else if (name_ == "expect") {
        expectsContinue_ = value_.compare("100-continue", Qt::CaseInsensitive) == 0;
    }
    request_.headers.append(qMakePair(internedName(name_), std::move(value_)));
    value_ = QByteArray();
    name_.resize(0);
    return true;
}

bool HttpRequestParser::splitTarget() {
    QByteArrayView path;
    QByteArrayView query;
    if (target_.startsWith('/') || target_ == "*") {
        const QByteArrayView whole(target_);
        const qsizetype fragment = whole.indexOf('#');
        const QByteArrayView target = fragment < 0 ? whole : whole.first(fragment);
        const qsizetype mark = target.indexOf('?');
        path = mark < 0 ? target : target.first(mark);
        query = mark < 0 ? QByteArrayView() : target.sliced(mark + 1);
    } else {  // absolute-form (RFC 9112 §3.2.2): take its path and query
        http_parser_url url{};
        http_parser_url_init(&url);
        if (http_parser_parse_url(target_.constData(), static_cast<std::size_t>(target_.size()),
                                  parser_.method == HTTP_CONNECT, &url) != 0) {
            fail(400, "url: malformed request target");
            return false;
        }
        const auto field = [&](int which) {
            return (url.field_set & (1 << which)) != 0
                       ? QByteArrayView(target_.constData() + url.field_data[which].off,
                                        url.field_data[which].len)
                       : QByteArrayView();
        };
        path = field(UF_PATH).isEmpty() ? QByteArrayView("/") : field(UF_PATH);
        query = field(UF_QUERY);
    }
    request_.path = path.toByteArray();
    if (!query.isEmpty()) {
        request_.query = query.toByteArray();
    }
    return true;
}

int HttpRequestParser::onMessageBegin(http_parser* parser) {
    HttpRequestParser& s = self(parser);
    s.request_ = HttpRequest();
    s.request_.peer = s.peer_;
    s.request_.headers.reserve(8);
    s.target_.resize(0);
    s.name_.resize(0);
    s.value_.resize(0);
    s.inValue_ = false;
    s.inRequest_ = true;
    s.headersDone_ = false;
    s.expectsContinue_ = false;
    s.hosts_ = 0;
    s.authorizations_ = 0;
    s.sink_.requestStarted();
    return 0;
}

int HttpRequestParser::onUrl(http_parser* parser, const char* at, std::size_t length) {
    HttpRequestParser& s = self(parser);
    if (s.target_.size() + static_cast<qsizetype>(length) > s.limits_.requestLineBytes) {
        return s.fail(414, "url: longer than " + kib(s.limits_.requestLineBytes));
    }
    s.target_.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpRequestParser::onHeaderField(http_parser* parser, const char* at, std::size_t length) {
    HttpRequestParser& s = self(parser);
    if (s.inValue_) {
        s.inValue_ = false;
        if (!s.finishHeader()) {
            return -1;
        }
    }
    if (!s.countHeaderBytes(length)) {
        return -1;
    }
    for (std::size_t i = 0; i < length; ++i) {
        const auto c = static_cast<unsigned char>(at[i]);
        if (!kTokenChars[c]) {
            return s.fail(400, "headers: a header name holds a character that is not allowed");
        }
        if (!s.headersDone_) {
            s.name_.append(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
        }
    }
    return 0;
}

int HttpRequestParser::onHeaderValue(http_parser* parser, const char* at, std::size_t length) {
    HttpRequestParser& s = self(parser);
    s.inValue_ = true;
    if (!s.countHeaderBytes(length)) {
        return -1;
    }
    if (!s.headersDone_) {
        s.value_.append(at, static_cast<qsizetype>(length));
    }
    return 0;
}

int HttpRequestParser::onHeadersComplete(http_parser* parser) {
    HttpRequestParser& s = self(parser);
    if (s.inValue_) {
        s.inValue_ = false;
        if (!s.finishHeader()) {
            return -1;
        }
    }
    s.headersDone_ = true;
    const bool http11 = parser->http_major > 1 || (parser->http_major == 1 && parser->http_minor >= 1);
    if (s.hosts_ > 1) {
        return s.fail(400, "host: more than one Host header");
    }
    if (s.authorizations_ > 1) {
        return s.fail(400, "authorization: more than one Authorization header");
    }
    if (s.hosts_ == 0 && http11) {
        return s.fail(400, "host: the Host header is required");
    }
    const bool hasLength = (parser->flags & F_CONTENTLENGTH) != 0;
    if (hasLength && parser->content_length > static_cast<std::uint64_t>(s.limits_.bodyBytes)) {
        return s.fail(413, "body: larger than " + kib(s.limits_.bodyBytes));
    }
    if (!s.splitTarget()) {
        return -1;
    }
    const auto method = static_cast<http_method>(parser->method);
    s.request_.head = method == HTTP_HEAD;
    const char* name = http_method_str(s.request_.head ? HTTP_GET : method);
    s.request_.method = QByteArray::fromRawData(name, static_cast<qsizetype>(std::strlen(name)));
    if (hasLength && parser->content_length > 0) {
        s.request_.body.reserve(static_cast<qsizetype>(parser->content_length));
    }
    const bool bodyFollows = (parser->flags & F_CHUNKED) != 0 || (hasLength && parser->content_length > 0);
    s.sink_.headersComplete(s.expectsContinue_ && bodyFollows);
    return 0;
}

int HttpRequestParser::onBody(http_parser* parser, const char* at, std::size_t length) {
    HttpRequestParser& s = self(parser);
    if (s.request_.body.size() + static_cast<qsizetype>(length) > s.limits_.bodyBytes) {
        return s.fail(413, "body: larger than " + kib(s.limits_.bodyBytes));
    }
    s.request_.body.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpRequestParser::onMessageComplete(http_parser* parser) {
    HttpRequestParser& s = self(parser);
    s.inRequest_ = false;
    const bool http10 = parser->http_major == 1 && parser->http_minor == 0;
    // An Upgrade or CONNECT hands the connection to another protocol, which we do not speak:
    // answer this request and close.
    const bool keepAlive = http_should_keep_alive(parser) != 0 && parser->upgrade == 0;
    s.request_.keepAlive = keepAlive;
    const bool more = s.sink_.requestComplete(std::move(s.request_), http10);
    s.request_ = HttpRequest();
    if (!keepAlive) {
        s.state_ = State::Finished;
        http_parser_pause(parser, 1);
    } else if (!more) {
        http_parser_pause(parser, 1);
    }
    return 0;
}

}  // namespace tai
