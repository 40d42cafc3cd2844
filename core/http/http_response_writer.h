#pragma once

#include "http/http_reply_slots.h"

#include <QByteArrayView>

#include <string>

namespace tai {

// Appends one answer to a connection's output: status line, Date, Content-Type, Content-Length
// (a HEAD's is its GET's), the handler's own headers (less those the server owns, and any with a
// line break, which would split the answer), Connection when it closes or an HTTP/1.0 client is
// kept alive, then the body unless it answers a HEAD. Appending to the connection's reused
// buffer is all the allocation an answer costs.
void appendHttpResponse(std::string& out, const HttpReplySlot& slot, QByteArrayView date);

}  // namespace tai
