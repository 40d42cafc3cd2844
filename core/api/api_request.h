#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace tai {

// An HTTP request as the router sees it: header names lower-case.
struct ApiRequest {
    QByteArray method;
    QString path;
    QString query;  // after '?', still percent-encoded
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    qsizetype headerBytes = 0;  // every header line as received, repeats included
    QByteArray peer;            // the client, "address:port" (empty when unknown)
};

}  // namespace tai
