#include "api/api_routes.h"

#include "deployments/rollout_types.h"

namespace tai {

QStringList breakerControlNames() {
    return {QStringLiteral("force-open"), QStringLiteral("force-half-open"), QStringLiteral("force-closed"),
            QStringLiteral("release"),    QStringLiteral("metrics-only"),    QStringLiteral("disable")};
}

QStringList rolloutControlNames() {
    QStringList names;
    for (int i = 0; i <= static_cast<int>(RolloutControl::Retry); ++i) {
        names << toString(static_cast<RolloutControl>(i)).replace(QLatin1Char('_'), QLatin1Char('-'));
    }
    return names;
}

const std::vector<ApiRoute>& apiRoutes() {
    using Id = ApiRoute::Id;
    static const std::vector<ApiRoute> routes{
        {Id::Health, "GET", QStringLiteral("/healthz"), false, {}},
        {Id::Ready, "GET", QStringLiteral("/readyz"), false, {}},
        {Id::Metrics, "GET", QStringLiteral("/metrics"), false, {}},
        {Id::OpenApi, "GET", QStringLiteral("/v1/openapi.json"), false, {}},
        {Id::Payments, "POST", QStringLiteral("/v1/payments"), false, {}},
        {Id::Deploy, "POST", QStringLiteral("/v1/deployments"), false, {}},
        {Id::Deployment, "GET", QStringLiteral("/v1/deployments/{id}"), false, {}},
        {Id::Revisions, "GET", QStringLiteral("/v1/services/{service}/revisions"), false, {}},
        {Id::State, "GET", QStringLiteral("/v1/state"), false, {}},
        {Id::Alerts, "GET", QStringLiteral("/v1/alerts"), false, {}},
        {Id::Traces, "GET", QStringLiteral("/v1/traces"), false, {}},
        {Id::Trace, "GET", QStringLiteral("/v1/traces/{trace_id}"), false, {}},
        {Id::BreakerControl,
         "POST",
         QStringLiteral("/v1/control/breakers/{breaker}/{control}"),
         true,
         {{QStringLiteral("control"), breakerControlNames()}}},
        {Id::RolloutControl,
         "POST",
         QStringLiteral("/v1/control/deployments/{id}/{control}"),
         true,
         {{QStringLiteral("control"), rolloutControlNames()}}},
        {Id::Undo, "POST", QStringLiteral("/v1/control/services/{service}/undo"), true, {}},
        {Id::AlertControl,
         "POST",
         QStringLiteral("/v1/control/alerts/{control}"),
         true,
         {{QStringLiteral("control"), {QStringLiteral("ack"), QStringLiteral("silence")}}}},
        {Id::GatewayFault, "POST", QStringLiteral("/v1/control/gateway-fault"), true, {}},
        {Id::InfraFault, "POST", QStringLiteral("/v1/control/infra-fault"), true, {}},
        {Id::Load, "POST", QStringLiteral("/v1/control/load"), true, {}},
        {Id::Burst, "POST", QStringLiteral("/v1/control/burst"), true, {}},
    };
    return routes;
}

namespace {
// The path's segments against a template's: literal segments equal, {parameters} non-empty (and
// one of their choices, where the route has some).
bool matches(const ApiRoute& route, const QStringList& segments, QStringList* parameters) {
    const QStringList pattern = route.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (pattern.size() != segments.size()) {
        return false;
    }
    QStringList values;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString& p = pattern[i];
        if (!p.startsWith(QLatin1Char('{'))) {
            if (p != segments[i]) {
                return false;
            }
            continue;
        }
        const QString name = p.mid(1, p.size() - 2);
        for (const ApiRoute::Choice& choice : route.choices) {
            if (choice.parameter == name && !choice.values.contains(segments[i])) {
                return false;
            }
        }
        values << segments[i];
    }
    *parameters = std::move(values);
    return true;
}
}  // namespace

std::optional<ApiRouteMatch> matchApiRoute(const QByteArray& method, const QString& path,
                                           QByteArrayList* methods) {
    // "/v1//state" and "/v1/state/" are not routes: every segment must be there, once.
    if (!path.startsWith(QLatin1Char('/')) || path.contains(QStringLiteral("//")) ||
        (path.size() > 1 && path.endsWith(QLatin1Char('/')))) {
        return std::nullopt;
    }
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    std::optional<ApiRouteMatch> found;
    for (const ApiRoute& route : apiRoutes()) {
        QStringList parameters;
        if (!matches(route, segments, &parameters)) {
            continue;
        }
        if (methods != nullptr && !methods->contains(route.method)) {
            methods->append(route.method);
        }
        if (route.method == method && !found) {
            found = ApiRouteMatch{&route, std::move(parameters)};
        }
    }
    return found;
}

}  // namespace tai
