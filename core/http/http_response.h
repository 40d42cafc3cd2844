#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>

#include <utility>

namespace tai {

// One HTTP answer. The server writes Date, Content-Length and Connection itself; a handler's
// own values for those are left out.
struct HttpResponse {
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QList<QPair<QByteArray, QByteArray>> headers;  // extra headers, written as given

    static HttpResponse json(int status, QByteArray body) {
        HttpResponse response;
        response.status = status;
        response.body = std::move(body);
        return response;
    }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::HttpResponse)
