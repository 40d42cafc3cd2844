#pragma once

#include "api/api_request.h"
#include "api/http_reply.h"
#include "base/refusal.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <variant>

class QUrlQuery;

namespace tai {

class Engine;

// The HTTP API of DESIGN.md §10.2, independent of sockets: each request is answered once through
// `respond`, which may be called on any thread (a payment answers from the engine thread after
// its commit). Read-only endpoints are open; /v1/control/... needs "Authorization: Bearer <token>".
class ApiRouter {
public:
    using Respond = std::function<void(HttpReply)>;

    static constexpr int kMaxBodyBytes = 64 * 1024;
    static constexpr int kMaxUrlBytes = 8 * 1024;      // 414 beyond
    static constexpr int kMaxHeaderBytes = 32 * 1024;  // 431 beyond

    ApiRouter(Engine& engine, QString token);

    void handle(const ApiRequest& request, Respond respond);

private:
    void payments(const ApiRequest& request, Respond respond);
    void control(const ApiRequest& request, const QStringList& parts, Respond respond);
    void command(const QJsonObject& object, Respond respond, bool deployment);
    HttpReply deployment(const QString& id) const;
    void trace(const QString& traceId, const QUrlQuery& options, Respond respond) const;
    void traces(const QUrlQuery& query, Respond respond) const;

    Engine& engine_;
    QString token_;
};

// The command a control route stands for, in the command language's JSON form: the route's path
// gives `do`, `command` and the entity it names; the body gives the rest. A body that repeats a
// key the path sets is refused (the path is the one place that names the entity).
std::variant<QJsonObject, Refusal> controlCommandObject(const QStringList& route, const QJsonObject& body);

// The trace id of a W3C traceparent header ("00-<32 hex>-<16 hex>-<2 hex>"), or empty.
QString traceIdFromTraceparent(const QByteArray& header);

}  // namespace tai
