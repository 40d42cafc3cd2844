#pragma once

#include "trace/span.h"
#include "trace/trace_context.h"

#include <vector>

namespace tai {

// OpenTelemetry's HTTP semantic conventions (semconv 1.2x, stable HTTP names), in one place.
//   Status: a SERVER span is ERROR for a 5xx answer only (a 4xx is the client's doing and stays
//   unset); a CLIENT span is ERROR for a 4xx or 5xx answer and for no answer at all.

// http.request.method, url.scheme, url.path, http.route, http.response.status_code,
// user_agent.original, client.address, client.port, and error.type for a 5xx.
std::vector<SpanAttribute> httpServerSpanAttributes(const HttpServerCall& call, int status);

constexpr bool isHttpServerError(int status) {
    return status >= 500;
}
constexpr bool isHttpClientError(int status) {
    return status >= 400;
}

}  // namespace tai
