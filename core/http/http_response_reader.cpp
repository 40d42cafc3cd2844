#include "http/http_response_reader.h"

namespace tai {

namespace {

HttpResponseReader& self(http_parser* parser) {
    return *static_cast<HttpResponseReader*>(parser->data);
}

}  // namespace

HttpResponseReader::HttpResponseReader(Keep keep) : keep_(keep) {
    http_parser_init(&parser_, HTTP_RESPONSE);
    parser_.data = this;
}

bool HttpResponseReader::feed(const char* data, std::size_t size) {
    static constexpr http_parser_settings kSettings = [] {
        http_parser_settings settings{};
        settings.on_message_begin = &onMessageBegin;
        settings.on_header_field = &onHeaderField;
        settings.on_header_value = &onHeaderValue;
        settings.on_headers_complete = &onHeadersComplete;
        settings.on_body = &onBody;
        settings.on_message_complete = &onMessageComplete;
        return settings;
    }();
    if (failed_) {
        return false;
    }
    const std::size_t used = http_parser_execute(&parser_, &kSettings, data, size);
    const http_errno error = HTTP_PARSER_ERRNO(&parser_);
    if (error != HPE_OK || used != size) {
        failed_ = true;
        error_ = QString::fromLatin1(http_errno_description(error));
    }
    return !failed_;
}

bool HttpResponseReader::finish() {
    return feed(nullptr, 0);
}

HttpParsedResponse HttpResponseReader::takeFirst() {
    HttpParsedResponse response = std::move(responses_.front());
    responses_.pop_front();
    return response;
}

void HttpResponseReader::finishHeader() {
    if (keep_ == Keep::Everything) {
        current_.headers.append(qMakePair(name_.toLower(), value_));
    }
    name_.resize(0);
    value_.resize(0);
}

int HttpResponseReader::onMessageBegin(http_parser* parser) {
    HttpResponseReader& s = self(parser);
    s.current_ = HttpParsedResponse();
    s.inValue_ = false;
    s.inResponse_ = true;
    return 0;
}

int HttpResponseReader::onHeaderField(http_parser* parser, const char* at, std::size_t length) {
    HttpResponseReader& s = self(parser);
    if (s.inValue_) {
        s.finishHeader();
        s.inValue_ = false;
    }
    if (s.keep_ == Keep::Everything) {
        s.name_.append(at, static_cast<qsizetype>(length));
    }
    return 0;
}

int HttpResponseReader::onHeaderValue(http_parser* parser, const char* at, std::size_t length) {
    HttpResponseReader& s = self(parser);
    s.inValue_ = true;
    if (s.keep_ == Keep::Everything) {
        s.value_.append(at, static_cast<qsizetype>(length));
    }
    return 0;
}

int HttpResponseReader::onHeadersComplete(http_parser* parser) {
    HttpResponseReader& s = self(parser);
    if (s.inValue_) {
        s.finishHeader();
        s.inValue_ = false;
    }
    s.current_.status = static_cast<int>(parser->status_code);
    const bool head = s.current_.status >= 200 && !s.heads_.empty() && s.heads_.front();
    return head ? 1 : 0;  // 1: no body follows, whatever Content-Length says
}

int HttpResponseReader::onBody(http_parser* parser, const char* at, std::size_t length) {
    HttpResponseReader& s = self(parser);
    if (s.keep_ == Keep::Everything) {
        s.current_.body.append(at, static_cast<qsizetype>(length));
    }
    return 0;
}

int HttpResponseReader::onMessageComplete(http_parser* parser) {
    HttpResponseReader& s = self(parser);
    s.inResponse_ = false;
    if (s.current_.status < 200) {
        ++s.interim_;
        return 0;
    }
    if (!s.heads_.empty()) {
        s.heads_.pop_front();
    }
    s.current_.keepAlive = http_should_keep_alive(parser) != 0;
    s.responses_.push_back(std::move(s.current_));
    s.current_ = HttpParsedResponse();
    return 0;
}

}  // namespace tai
