#include "api/api_router.h"

#include "api/api_routes.h"
#include "api/openapi_document.h"
#include "api/prometheus_metrics.h"
#include "api/readiness.h"
#include "api/route_commands.h"
#include "api/snapshot_json.h"
#include "deployments/rollout_json.h"
#include "deployments/safety_policy.h"
#include "engine/command_parser.h"
#include "engine/engine.h"
#include "payments/payment_json.h"
#include "trace/otlp_json.h"
#include "trace/trace_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

#include <cmath>

namespace tai {

namespace {

HttpReply fromPayment(const PaymentResponse& r) {
    HttpReply reply = HttpReply::json(r.httpStatus(), paymentResponseJson(r));
    if (!r.errorField.isEmpty()) {
        // Like every error body, name the field at fault.
        QJsonObject body = QJsonDocument::fromJson(reply.body).object();
        body.insert(QStringLiteral("field"), r.errorField);
        reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    const PaymentOutcome effective =
        r.outcome == PaymentOutcome::Duplicate && r.original ? *r.original : r.outcome;
    if ((r.commitPending || effective == PaymentOutcome::QueueFull ||
         effective == PaymentOutcome::CircuitOpen) &&
        r.retryAfter.count() > 0) {
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray::number(static_cast<qint64>(
                                                                      std::ceil(toSeconds(r.retryAfter))))));
    }
    return reply;
}

HttpReply fromCommand(const CommandResult& r, bool deployment) {
    if (deployment && (r.ok() || (r.refusal && r.refusal->code == RefusalCode::Rejected))) {
        QJsonObject o{{QStringLiteral("id"), r.id}};
        if (r.ok()) {
            o.insert(QStringLiteral("status"), QStringLiteral("accepted"));
            return HttpReply::json(202, QJsonDocument(o).toJson(QJsonDocument::Compact));
        }
        QJsonArray reasons;
        for (const QString& reason : r.reasons) {
            reasons.append(reason);
        }
        o.insert(QStringLiteral("error"), r.error());
        o.insert(QStringLiteral("code"), toString(r.refusal->code));
        // Like every error body, name a field: that of the first failing safety check.
        o.insert(QStringLiteral("field"), r.refusal->field.isEmpty() && !r.reasons.empty()
                                              ? safetyFieldOf(r.reasons.front())
                                              : r.refusal->field);
        o.insert(QStringLiteral("reasons"), reasons);
        return HttpReply::json(422, QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    if (r.refusal) {
        return HttpReply::refusal(*r.refusal);
    }
    QJsonObject o{{QStringLiteral("ok"), true}};
    if (!r.id.isEmpty()) {
        o.insert(QStringLiteral("id"), r.id);
    }
    return HttpReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A JSON object body (empty means {}), or why not.
std::variant<QJsonObject, HttpReply> objectBody(const QByteArray& body) {
    if (body.trimmed().isEmpty()) {
        return QJsonObject();
    }
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        return HttpReply::error(400, QStringLiteral("body"),
                                QStringLiteral("must be a JSON object (%1)").arg(parse.errorString()));
    }
    return doc.object();
}

// Allow lists HEAD wherever GET is served (the server answers HEAD as GET without the body).
HttpReply methodNotAllowed(QByteArrayList methods) {
    if (methods.contains("GET")) {
        methods.append("HEAD");
    }
    HttpReply reply = HttpReply::error(405, QStringLiteral("method"), QStringLiteral("not allowed here"));
    reply.headers.append(qMakePair(QByteArray("Allow"), methods.join(", ")));
    return reply;
}

}  // namespace

ApiRouter::ApiRouter(Engine& engine, QString token) : engine_(engine), token_(std::move(token)) {}

void ApiRouter::handle(const ApiRequest& request, Respond respond) {
    if (request.path.size() > kMaxUrlBytes) {
        return respond(HttpReply::error(414, QStringLiteral("url"), QStringLiteral("longer than 8 KiB")));
    }
    // HTTP/1.1 requires Host (RFC 9112 §3.2). Qt's parser also drops the whole header list when
    // it is flooded with lines, which this catches too.
    if (!request.headers.contains("host")) {
        return respond(
            HttpReply::error(400, QStringLiteral("host"), QStringLiteral("the Host header is required")));
    }
    qsizetype headerBytes = request.headerBytes;
    for (auto it = request.headers.cbegin(); it != request.headers.cend() && request.headerBytes == 0; ++it) {
        headerBytes += it.key().size() + it.value().size() + 4;
    }
    if (headerBytes > kMaxHeaderBytes) {
        return respond(
            HttpReply::error(431, QStringLiteral("headers"), QStringLiteral("larger than 32 KiB in all")));
    }
    if (request.body.size() > kMaxBodyBytes) {
        return respond(HttpReply::error(413, QStringLiteral("body"), QStringLiteral("larger than 64 KiB")));
    }
    const QString& path = request.path;
    QByteArrayList methods;
    const auto match = matchApiRoute(request.method, path, &methods);
    if (!match) {
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (methods.isEmpty() && parts.size() >= 3 && parts[0] == u"v1" && parts[1] == u"control" &&
            request.method == "POST") {
            // An unknown control: refused by name, but only to someone who may use controls.
            if (auto refused = unauthorized(request)) {
                return respond(*refused);
            }
            return control(request, parts.mid(2), std::move(respond));
        }
        if (!methods.isEmpty()) {
            return respond(methodNotAllowed(methods));
        }
        return respond(HttpReply::error(404, QStringLiteral("path"),
                                        QStringLiteral("no endpoint at ") + path.left(200)));
    }
    const ApiRoute& route = *match->route;
    const QStringList& parameters = match->parameters;
    if (route.control) {
        if (auto refused = unauthorized(request)) {
            return respond(*refused);
        }
        return control(request, path.split(QLatin1Char('/'), Qt::SkipEmptyParts).mid(2), std::move(respond));
    }
    using Id = ApiRoute::Id;
    switch (route.id) {
        case Id::Health:
            return respond(HttpReply::json(200, R"({"status":"ok"})"));
        case Id::Ready:
            return respond(readiness(engine_.latestSnapshot()));
        case Id::Metrics: {
            const auto snapshot = engine_.latestSnapshot();
            return respond(HttpReply{200,
                                     snapshot ? prometheusText(*snapshot) : QByteArray(),
                                     "text/plain; version=0.0.4; charset=utf-8",
                                     {}});
        }
        case Id::OpenApi:
            return respond(HttpReply::json(200, openApiDocument()));
        case Id::Payments:
            return payments(request, std::move(respond));
        case Id::Deploy: {
            auto body = objectBody(request.body);
            if (auto* error = std::get_if<HttpReply>(&body)) {
                return respond(*error);
            }
            QJsonObject object = std::get<QJsonObject>(body);
            if (object.contains(QStringLiteral("do"))) {
                return respond(
                    HttpReply::error(400, QStringLiteral("do"), QStringLiteral("unknown key 'do'")));
            }
            object.insert(QStringLiteral("do"), QStringLiteral("deploy"));
            return command(object, std::move(respond), true);
        }
        case Id::Deployment:
            return respond(deployment(parameters[0]));
        case Id::Revisions:
            return respond(revisions(parameters[0]));
        case Id::State:
        case Id::Alerts: {
            const auto snapshot = engine_.latestSnapshot();
            if (!snapshot) {
                return respond(
                    HttpReply::error(503, QStringLiteral("engine"), QStringLiteral("not running")));
            }
            const QJsonObject body =
                route.id == Id::State ? snapshotJson(*snapshot) : alertBoardJson(*snapshot);
            return respond(HttpReply::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
        }
        case Id::Traces:
            return traces(QUrlQuery(request.query), std::move(respond));
        case Id::Trace:
            return trace(parameters[0], QUrlQuery(request.query), std::move(respond));
        default:
            break;
    }
    respond(HttpReply::error(500, QStringLiteral("path"), QStringLiteral("route without a handler")));
}

std::optional<HttpReply> ApiRouter::unauthorized(const ApiRequest& request) const {
    const QByteArray authorization = request.headers.value("authorization");
    if (authorization.isEmpty()) {
        HttpReply reply =
            HttpReply::error(401, QStringLiteral("authorization"),
                             QStringLiteral("a Bearer token is required for control endpoints"));
        reply.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        return reply;
    }
    if (!authorization.startsWith("Bearer ") || authorization.mid(7).trimmed() != token_.toLatin1()) {
        return HttpReply::error(403, QStringLiteral("authorization"),
                                QStringLiteral("the token is not valid"));
    }
    return std::nullopt;
}

void ApiRouter::payments(const ApiRequest& request, Respond respond) {
    engine_.submitPayment(
        request.body, paymentTraceContext(request, QStringLiteral("/v1/payments")),
        [respond = std::move(respond)](const PaymentResponse& r) { respond(fromPayment(r)); });
}

void ApiRouter::control(const ApiRequest& request, const QStringList& parts, Respond respond) {
    auto body = objectBody(request.body);
    if (auto* error = std::get_if<HttpReply>(&body)) {
        return respond(*error);
    }
    const auto object = controlCommandObject(parts, std::get<QJsonObject>(body));
    if (const auto* refused = std::get_if<Refusal>(&object)) {
        return respond(HttpReply::refusal(*refused));
    }
    // An undo answers as a deployment request does: 202 with the new rollout's id, or 422.
    command(std::get<QJsonObject>(object), std::move(respond), parts.value(0) == u"services");
}

void ApiRouter::command(const QJsonObject& object, Respond respond, bool deployment) {
    CommandParseOptions options;
    options.defaultActor = QStringLiteral("api");
    const CommandParse parsed = parseCommand(object, options);
    if (const auto* errors = std::get_if<std::vector<CommandError>>(&parsed)) {
        const CommandError& first = errors->front();
        return respond(HttpReply::error(
            400, first.field(),
            first.path.isEmpty() && !first.missing.isEmpty() ? QStringLiteral("required") : first.message));
    }
    engine_.execute(std::get<ParsedCommand>(parsed).command,
                    [respond = std::move(respond), deployment](const CommandResult& r) {
                        respond(fromCommand(r, deployment));
                    });
}

HttpReply ApiRouter::deployment(const QString& id) const {
    if (const auto snapshot = engine_.latestSnapshot()) {
        for (const RolloutView& v : snapshot->rollouts) {
            if (v.id == id) {
                return HttpReply::json(200, QJsonDocument(rolloutToJson(v)).toJson(QJsonDocument::Compact));
            }
        }
        for (const RejectedDeployment& r : snapshot->rejectedDeployments) {
            if (r.id == id) {
                return HttpReply::json(
                    200, QJsonDocument(rejectedDeploymentToJson(r)).toJson(QJsonDocument::Compact));
            }
        }
    }
    return HttpReply::error(404, QStringLiteral("id"), QStringLiteral("no deployment '%1'").arg(id.left(64)));
}

HttpReply ApiRouter::revisions(const QString& service) const {
    const auto snapshot = engine_.latestSnapshot();
    if (!snapshot) {
        return HttpReply::error(503, QStringLiteral("engine"), QStringLiteral("not running"));
    }
    const std::vector<RevisionView> history = revisionHistory(snapshot->rollouts, service);
    if (history.empty()) {
        return HttpReply::error(404, QStringLiteral("service"),
                                QStringLiteral("no rollouts of '%1'").arg(service.left(64)));
    }
    QJsonArray out;
    for (const RevisionView& r : history) {
        out.append(revisionToJson(r));
    }
    return HttpReply::json(200, QJsonDocument(QJsonObject{{QStringLiteral("service"), service},
                                                          {QStringLiteral("revisions"), out}})
                                    .toJson(QJsonDocument::Compact));
}

void ApiRouter::traces(const QUrlQuery& query, Respond respond) const {
    TraceQuery q;
    if (const QString customer = query.queryItemValue(QStringLiteral("customer"), QUrl::FullyDecoded);
        !customer.isEmpty()) {
        q.tags.emplace_back(QStringLiteral("customer"), customer);
    }
    if (query.hasQueryItem(QStringLiteral("outcome"))) {
        const QString outcome = query.queryItemValue(QStringLiteral("outcome"));
        if (!paymentOutcomeFromString(outcome)) {
            return respond(HttpReply::error(400, QStringLiteral("outcome"),
                                            QStringLiteral("not a payment outcome (charged, rejected, …)")));
        }
        q.tags.emplace_back(QStringLiteral("outcome"), outcome);
    }
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 1000) {
            return respond(HttpReply::error(400, QStringLiteral("limit"),
                                            QStringLiteral("must be a number from 1 to 1000")));
        }
        q.limit = static_cast<std::size_t>(limit);
    }
    engine_.read([this, q, respond = std::move(respond)] {
        QJsonArray out;
        for (const auto& t : engine_.readTraces(q)) {
            out.append(traceJson(*t, true));
        }
        respond(HttpReply::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("traces"), out}}).toJson(QJsonDocument::Compact)));
    });
}

void ApiRouter::trace(const QString& traceId, const QUrlQuery& options, Respond respond) const {
    static const QRegularExpression shape(QStringLiteral("^[0-9a-f]{32}$"));
    if (!shape.match(traceId).hasMatch()) {
        return respond(HttpReply::error(400, QStringLiteral("trace_id"),
                                        QStringLiteral("must be 32 lowercase hex digits")));
    }
    const QString format = options.queryItemValue(QStringLiteral("format"));
    if (!format.isEmpty() && format != u"otlp") {
        return respond(HttpReply::error(400, QStringLiteral("format"),
                                        QStringLiteral("expected otlp, or nothing for the console's JSON")));
    }
    // The audit trail is SQLite: read it on the engine's reader thread, never the server's.
    engine_.read([this, traceId, format, respond = std::move(respond)] {
        const auto kept = engine_.readTrace(traceId);
        if (format == u"otlp") {
            if (!kept) {
                return respond(HttpReply::error(
                    404, QStringLiteral("trace_id"),
                    QStringLiteral("%1 was not kept (sampled out, or evicted)").arg(traceId)));
            }
            return respond(HttpReply::json(200, otlpTraceRequest({kept})));
        }
        AuditQuery query;
        query.traceId = traceId;
        query.limit = 1000;
        QJsonArray events;
        for (const AuditRecord& r : engine_.readAudit(query).records) {
            events.append(
                QJsonObject{{QStringLiteral("seq"), static_cast<qint64>(r.seq)},
                            {QStringLiteral("at_ms"), static_cast<qint64>(r.row.atMs)},
                            {QStringLiteral("kind"), r.row.kind},
                            {QStringLiteral("subject"), r.row.subject},
                            {QStringLiteral("payload"), QJsonDocument::fromJson(r.row.payload).object()}});
        }
        if (events.isEmpty() && !kept) {
            return respond(HttpReply::error(
                404, QStringLiteral("trace_id"),
                QStringLiteral("no trace or events for %1 (yet: decisions are written within 50 ms)")
                    .arg(traceId)));
        }
        QJsonObject body{{QStringLiteral("trace_id"), traceId}, {QStringLiteral("events"), events}};
        if (kept) {
            body.insert(QStringLiteral("trace"), traceJson(*kept));
        }
        respond(HttpReply::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    });
}

}  // namespace tai
