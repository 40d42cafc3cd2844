#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMetaType>
#include <QPair>

namespace tai {

// One HTTP/1.1 request as HttpServer read it, already inside HttpServer::Options' limits.
// Everything is the raw bytes from the wire: the router decides what is text.
struct HttpRequest {
    QByteArray method;  // "GET", "POST", ...; a HEAD request arrives as "GET" with `head` set
    QByteArray path;    // before '?', still percent-encoded
    QByteArray query;   // after '?', still percent-encoded; empty when there is none
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-case, in the order received
    QByteArray body;                               // a chunked body arrives joined
    qsizetype headerBytes = 0;  // every header line as received: name, value, ": " and CRLF
    bool keepAlive = true;      // false: the last request of its connection
    bool head = false;          // asked as HEAD: answered like GET, the body left off the wire
    QByteArray peer;            // the client, "address:port"

    // The first header called `name` (lower-case), or an empty array.
    QByteArray header(QByteArrayView name) const {
        for (const auto& [key, value] : headers) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::HttpRequest)
