#include "api/route_commands.h"

#include "api/api_routes.h"
#include "trace/trace_json.h"

namespace tai {

TraceContext paymentTraceContext(const ApiRequest& request, const QString& route) {
    const auto parent = parseTraceparent(request.headers.value("traceparent"));
    TraceContext context = parent ? TraceContext(*parent) : TraceContext();
    auto call = std::make_shared<HttpServerCall>();
    call->method = request.method;
    call->route = route;
    call->path = request.path;
    call->userAgent = request.headers.value("user-agent");
    call->peer = request.peer;
    context.http = std::move(call);
    return context;
}

std::variant<QJsonObject, Refusal> controlCommandObject(const QStringList& route, const QJsonObject& body) {
    QJsonObject object;
    QString entityKey;
    const auto named = [&route](int i) {
        return route.size() > i ? route[i] : QString();
    };
    if (route.size() == 3 && route[0] == u"breakers") {
        object = {{QStringLiteral("do"), QStringLiteral("operator")},
                  {QStringLiteral("command"), QString(route[2]).replace(QLatin1Char('-'), QLatin1Char('_'))},
                  {QStringLiteral("breaker"), route[1]}};
        entityKey = QStringLiteral("breaker");
        if (!breakerControlNames().contains(route[2])) {
            return notFound(QStringLiteral("control"),
                            QStringLiteral("unknown breaker control '%1'").arg(named(2).left(40)));
        }
    } else if (route.size() == 3 && route[0] == u"deployments") {
        const QString control = QString(route[2]).replace(QLatin1Char('-'), QLatin1Char('_'));
        if (!rolloutControlNames().contains(route[2])) {
            return notFound(QStringLiteral("control"),
                            QStringLiteral("unknown rollout control '%1'").arg(named(2).left(40)));
        }
        object = {{QStringLiteral("do"), QStringLiteral("operator")},
                  {QStringLiteral("command"), control},
                  {QStringLiteral("deployment"), route[1]}};
        entityKey = QStringLiteral("deployment");
    } else if (route.size() == 3 && route[0] == u"services" && route[2] == u"undo") {
        object = {{QStringLiteral("do"), QStringLiteral("operator")},
                  {QStringLiteral("command"), QStringLiteral("undo")},
                  {QStringLiteral("service"), route[1]}};
        entityKey = QStringLiteral("service");
    } else if (route.size() == 2 && route[0] == u"alerts" && (route[1] == u"ack" || route[1] == u"silence")) {
        object = {{QStringLiteral("do"), QStringLiteral("operator")},
                  {QStringLiteral("command"),
                   route[1] == u"ack" ? QStringLiteral("ack_alert") : QStringLiteral("silence_alert")}};
    } else if (route.size() == 1 && route[0] == u"gateway-fault") {
        object = {{QStringLiteral("do"), QStringLiteral("gateway.fault")}};
    } else if (route.size() == 1 && route[0] == u"infra-fault") {
        const QJsonValue clear = body.value(QStringLiteral("clear"));
        if (!clear.isUndefined() && !clear.isBool()) {
            return invalid(QStringLiteral("clear"), QStringLiteral("must be true or false"));
        }
        object = clear.toBool()
                     ? QJsonObject{{QStringLiteral("do"), QStringLiteral("operator")},
                                   {QStringLiteral("command"), QStringLiteral("clear_infra_fault")}}
                     : QJsonObject{{QStringLiteral("do"), QStringLiteral("infra.fault")}};
    } else if (route.size() == 1 && route[0] == u"load") {
        object = {{QStringLiteral("do"), QStringLiteral("traffic")}};
    } else if (route.size() == 1 && route[0] == u"burst") {
        object = {{QStringLiteral("do"), QStringLiteral("operator")},
                  {QStringLiteral("command"), QStringLiteral("start_burst")}};
    } else {
        return notFound(QStringLiteral("path"), QStringLiteral("no control endpoint at /v1/control/%1")
                                                    .arg(route.join(QLatin1Char('/')).left(200)));
    }
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() == u"clear" && route[0] == u"infra-fault") {
            continue;
        }
        if (it.key() == u"do" || it.key() == u"command" || (!entityKey.isEmpty() && it.key() == entityKey)) {
            return invalid(it.key(),
                           QStringLiteral("unknown key '%1' (the path says what it is)").arg(it.key()));
        }
        object.insert(it.key(), it.value());
    }
    return object;
}

}  // namespace tai
