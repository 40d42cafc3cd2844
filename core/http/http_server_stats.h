#pragma once

#include <QMetaType>
#include <QString>
#include <QtGlobal>

namespace tai {

// A snapshot of HttpServer for the console's status bar; a plain value, safe to pass anywhere.
struct HttpServerStats {
    quint64 requests = 0;          // complete requests read since listen()
    double requestsPerSecond = 0;  // over the last ten whole seconds
    int openConnections = 0;
    quint64 refusedConnections = 0;  // closed at accept: over maxConnections or out of descriptors
    qint64 bufferedBytes = 0;        // held for clients: unsent answers, unread input, requests
    QString lastError;               // the last 5xx answered ("503 {...}"), empty when none
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::HttpServerStats)
