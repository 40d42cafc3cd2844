#pragma once

#include "http/http_request.h"
#include "http/http_responder.h"

#include <functional>

namespace tai {

// Called on an I/O thread for every complete request, in order per connection. It must not
// block: answer at once (respond() inline), or hand the responder to the thread that will.
using HttpHandler = std::function<void(HttpRequest request, HttpResponder responder)>;

}  // namespace tai
