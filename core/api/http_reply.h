#pragma once

#include "base/refusal.h"

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
    // {"error": "field: message", "field": "field"}; without a field, {"error": "message"}.
    static HttpReply error(int status, const QString& field, const QString& message);
    // A refused command: its code's status, and {"error", "field", "code"}.
    static HttpReply refusal(const Refusal& refusal);
};

QByteArray reasonPhrase(int status);

}  // namespace tai
