#pragma once

#include "api/api_request.h"
#include "api/http_reply.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

class QUrlQuery;

namespace tai {

class Engine;

// The HTTP API of DESIGN.md §10.2, independent of sockets: each request is answered once through
// `respond`, which may be called on any thread (a payment answers from the engine thread after
// its commit). Read-only endpoints are open; /v1/control/... needs "Authorization: Bearer <token>".
// Routes come from one table (api_routes.h), which /v1/openapi.json documents.
class ApiRouter {
public:
    using Respond = std::function<void(HttpReply)>;

    static constexpr int kMaxBodyBytes = 64 * 1024;
    static constexpr int kMaxUrlBytes = 8 * 1024;      // 414 beyond
    static constexpr int kMaxHeaderBytes = 32 * 1024;  // 431 beyond

    ApiRouter(Engine& engine, QString token);

    void handle(const ApiRequest& request, Respond respond);

private:
    // 401 or 403 for a control route without the token; nullopt when it may go on.
    std::optional<HttpReply> unauthorized(const ApiRequest& request) const;
    void payments(const ApiRequest& request, Respond respond);
    void control(const ApiRequest& request, const QStringList& parts, Respond respond);
    void command(const QJsonObject& object, Respond respond, bool deployment);
    HttpReply deployment(const QString& id) const;
    HttpReply revisions(const QString& service) const;
    void trace(const QString& traceId, const QUrlQuery& options, Respond respond) const;
    void traces(const QUrlQuery& query, Respond respond) const;

    Engine& engine_;
    QString token_;
};

}  // namespace tai
