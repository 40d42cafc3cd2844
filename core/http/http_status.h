#pragma once

#include "http/http_response.h"

#include <QByteArrayView>

namespace tai {

// "Not Found" for 404: http-parser's table of the IANA registry; "Status" for codes outside it.
QByteArrayView httpReasonPhrase(int status);

// The answer the server writes for a request it refuses itself, in the API's error shape:
// {"error": message, "field": <the part before ": " when it is a name>}. `message` is the
// server's own text (no quotes or backslashes), never client bytes.
HttpResponse httpErrorResponse(int status, QByteArrayView message);

}  // namespace tai
