#include "http/http_status.h"

#include <http_parser.h>

#include <cstring>

namespace tai {

QByteArrayView httpReasonPhrase(int status) {
    const char* text = http_status_str(static_cast<http_status>(status));
    if (text == nullptr || text[0] == '<') {  // "<unknown>"
        return "Status";
    }
    return {text, static_cast<qsizetype>(std::strlen(text))};
}

HttpResponse httpErrorResponse(int status, QByteArrayView message) {
    QByteArray body;
    body.reserve(message.size() * 2 + 32);
    body.append(R"({"error":")").append(message).append('"');
    const qsizetype colon = message.indexOf(QByteArrayView(": "));
    bool isName = colon > 0;
    for (qsizetype i = 0; isName && i < colon; ++i) {
        const char c = message[i];
        isName = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }
    if (isName) {
        body.append(R"(,"field":")").append(message.first(colon)).append('"');
    }
    body.append('}');
    return HttpResponse::json(status, std::move(body));
}

}  // namespace tai
