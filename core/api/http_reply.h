#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace tai {

// One HTTP answer, independent of the server that sends it.
struct HttpReply {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;

    static HttpReply json(int status, const QByteArray& body) {
        return {status, body, "application/json", {}};
    }
    // {"error": "...", "field": "..."}: the field is the part before the first ':' when it names one.
    static HttpReply error(int status, const QString& message);
};

QByteArray reasonPhrase(int status);

}  // namespace tai
