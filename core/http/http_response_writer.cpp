#include "http/http_response_writer.h"

#include "http/http_status.h"

#include <array>
#include <charconv>

namespace tai {

namespace {

void appendNumber(std::string& out, std::uint64_t value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    out.append(digits.data(), end);
}

void append(std::string& out, QByteArrayView bytes) {
    out.append(bytes.data(), static_cast<std::size_t>(bytes.size()));
}

// The server writes these itself; a handler's copy would contradict them.
bool ownedByServer(QByteArrayView name) {
    for (const char* owned : {"content-length", "date", "connection", "transfer-encoding"}) {
        if (name.compare(QByteArrayView(owned), Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

bool holdsLineBreak(QByteArrayView bytes) {
    return bytes.contains('\r') || bytes.contains('\n');
}

}  // namespace

void appendHttpResponse(std::string& out, const HttpReplySlot& slot, QByteArrayView date) {
    const HttpResponse& response = slot.response;
    const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
    const bool noBody = status < 200 || status == 204 || status == 304;
    out.append("HTTP/1.1 ");
    appendNumber(out, static_cast<std::uint64_t>(status));
    out.push_back(' ');
    append(out, httpReasonPhrase(status));
    out.append("\r\nDate: ");
    append(out, date);
    out.append("\r\n");
    if (!response.contentType.isEmpty() && !holdsLineBreak(response.contentType)) {
        out.append("Content-Type: ");
        append(out, response.contentType);
        out.append("\r\n");
    }
    if (status >= 200 && status != 204) {
        out.append("Content-Length: ");
        appendNumber(out, noBody ? 0 : static_cast<std::uint64_t>(response.body.size()));
        out.append("\r\n");
    }
    for (const auto& [name, value] : response.headers) {
        if (!ownedByServer(name) && !holdsLineBreak(name) && !holdsLineBreak(value)) {
            append(out, name);
            out.append(": ");
            append(out, value);
            out.append("\r\n");
        }
    }
    if (slot.close) {
        out.append("Connection: close\r\n");
    } else if (slot.http10) {
        out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    if (!slot.head && !noBody) {
        append(out, response.body);
    }
}

}  // namespace tai
