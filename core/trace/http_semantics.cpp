#include "trace/http_semantics.h"

namespace tai {

std::vector<SpanAttribute> httpServerSpanAttributes(const HttpServerCall& call, int status) {
    std::vector<SpanAttribute> out{{QStringLiteral("http.request.method"), QString::fromLatin1(call.method)},
                                   {QStringLiteral("url.scheme"), QStringLiteral("http")},
                                   {QStringLiteral("url.path"), call.path},
                                   {QStringLiteral("http.route"), call.route},
                                   {QStringLiteral("http.response.status_code"), std::int64_t{status}}};
    if (!call.userAgent.isEmpty()) {
        out.push_back({QStringLiteral("user_agent.original"), QString::fromUtf8(call.userAgent.left(256))});
    }
    if (const qsizetype colon = call.peer.lastIndexOf(':'); colon > 0) {
        QByteArray address = call.peer.left(colon);
        if (address.startsWith('[') && address.endsWith(']')) {
            address = address.mid(1, address.size() - 2);
        }
        out.push_back({QStringLiteral("client.address"), QString::fromLatin1(address)});
        out.push_back({QStringLiteral("client.port"), std::int64_t{call.peer.mid(colon + 1).toInt()}});
    }
    if (isHttpServerError(status)) {
        out.push_back({QStringLiteral("error.type"), QString::number(status)});
    }
    return out;
}

}  // namespace tai
