#include "trace/http_semantics.h"

namespace tai {

std::vector<SpanAttribute> httpServerSpanAttributes(const HttpServerCall& call, int status) {
    std::vector<SpanAttribute> out{{QStringLiteral("http.request.method"), call.method},
                                   {QStringLiteral("url.scheme"), QStringLiteral("http")},
                                   {QStringLiteral("url.path"), call.path},
                                   {QStringLiteral("http.route"), call.route},
                                   {QStringLiteral("http.response.status_code"), std::int64_t{status}}};
    if (!call.userAgent.isEmpty()) {
        out.push_back({QStringLiteral("user_agent.original"), call.userAgent});
    }
    if (!call.clientAddress.isEmpty()) {
        out.push_back({QStringLiteral("client.address"), call.clientAddress});
        out.push_back({QStringLiteral("client.port"), std::int64_t{call.clientPort}});
    }
    if (isHttpServerError(status)) {
        out.push_back({QStringLiteral("error.type"), QString::number(status)});
    }
    return out;
}

}  // namespace tai
