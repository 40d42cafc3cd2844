#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace tai {

// One route of the HTTP API (DESIGN.md §10.2). The table below is the only list of routes: the
// router dispatches on it, and /v1/openapi.json must document exactly these (tst_openapi).
struct ApiRoute {
    enum class Id {
        Health,
        Ready,
        Metrics,
        OpenApi,
        Payments,
        Deploy,
        Deployment,
        Revisions,
        State,
        Alerts,
        Traces,
        Trace,
        BreakerControl,
        RolloutControl,
        Undo,
        AlertControl,
        GatewayFault,
        InfraFault,
        Load,
        Burst,
    };
    struct Choice {
        QString parameter;  // a path parameter that takes only some values
        QStringList values;
    };

    Id id;
    QByteArray method;     // GET (which answers HEAD too) or POST
    QString path;          // an OpenAPI path template: "/v1/traces/{trace_id}"
    bool control = false;  // needs "Authorization: Bearer <token>"
    std::vector<Choice> choices;
};

const std::vector<ApiRoute>& apiRoutes();

// A request's path against the table: the route and its path parameters in order, or nullopt.
// `methods` gets the methods the path is served with (for a 405's Allow), whether or not
// `method` is one of them.
struct ApiRouteMatch {
    const ApiRoute* route = nullptr;
    QStringList parameters;
};
std::optional<ApiRouteMatch> matchApiRoute(const QByteArray& method, const QString& path,
                                           QByteArrayList* methods = nullptr);

// The controls of a breaker and of a rollout, as their paths spell them ("force-open", "promote-full").
QStringList breakerControlNames();
QStringList rolloutControlNames();

}  // namespace tai
