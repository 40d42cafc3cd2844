#pragma once

#include "api/api_request.h"
#include "api/http_reply.h"

#include <QFuture>

class QUrlQuery;

namespace tai {

class Engine;

// The HTTP API of DESIGN.md §10.2, independent of sockets: each request becomes a future reply.
// Read-only endpoints are open; /v1/control/... needs "Authorization: Bearer <token>".
class ApiRouter {
public:
    static constexpr int kMaxBodyBytes = 64 * 1024;
    static constexpr int kMaxUrlBytes = 8 * 1024;      // 414 beyond
    static constexpr int kMaxHeaderBytes = 32 * 1024;  // 431 beyond

    ApiRouter(Engine& engine, QString token);

    QFuture<HttpReply> handle(const ApiRequest& request);

private:
    QFuture<HttpReply> payments(const ApiRequest& request);
    QFuture<HttpReply> deployments(const ApiRequest& request);
    QFuture<HttpReply> control(const ApiRequest& request, const QStringList& parts);
    HttpReply deployment(const QString& id) const;
    HttpReply trace(const QString& traceId, const QUrlQuery& options) const;
    HttpReply traces(const QUrlQuery& query) const;

    Engine& engine_;
    QString token_;
};

// The trace id of a W3C traceparent header ("00-<32 hex>-<16 hex>-<2 hex>"), or empty.
QString traceIdFromTraceparent(const QByteArray& header);

}  // namespace tai
