#include "api/http_reply.h"

#include "base/refusal.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tai {

HttpReply HttpReply::error(int status, const QString& field, const QString& message) {
    QJsonObject o{
        {QStringLiteral("error"), field.isEmpty() ? message : field + QStringLiteral(": ") + message}};
    if (!field.isEmpty()) {
        o.insert(QStringLiteral("field"), field);
    }
    return json(status, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

HttpReply HttpReply::refusal(const Refusal& r) {
    QJsonObject o{{QStringLiteral("error"), r.text()}, {QStringLiteral("code"), toString(r.code)}};
    if (!r.field.isEmpty()) {
        o.insert(QStringLiteral("field"), r.field);
    }
    return json(httpStatus(r.code), QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QByteArray reasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 202:
            return "Accepted";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 402:
            return "Payment Required";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 414:
            return "URI Too Long";
        case 422:
            return "Unprocessable Entity";
        case 431:
            return "Request Header Fields Too Large";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "Status";
    }
}

}  // namespace tai
