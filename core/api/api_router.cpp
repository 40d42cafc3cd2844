#include "api/api_router.h"

#include "trace/otlp_json.h"
#include "trace/trace_json.h"
#include "trace/trace_store.h"

#include <QUrlQuery>

#include "api/prometheus_metrics.h"
#include "api/snapshot_json.h"
#include "audit/audit_store.h"
#include "deployments/rollout_json.h"
#include "engine/engine.h"
#include "payments/payment_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace tai {

namespace {

QFuture<HttpReply> ready(HttpReply reply) {
    return QtFuture::makeReadyFuture(std::move(reply));
}

HttpReply fromPayment(const PaymentResponse& r) {
    HttpReply reply = HttpReply::json(r.httpStatus(), paymentResponseJson(r));
    if (!r.error.isEmpty() && r.outcome != PaymentOutcome::GatewayError &&
        r.outcome != PaymentOutcome::GatewayTimeout) {
        // Like every error body, name the field at fault.
        const auto field = QJsonDocument::fromJson(HttpReply::error(400, r.error).body)
                               .object()
                               .value(QStringLiteral("field"));
        if (field.isString()) {
            QJsonObject body = QJsonDocument::fromJson(reply.body).object();
            body.insert(QStringLiteral("field"), field);
            reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
    }
    const PaymentOutcome effective =
        r.outcome == PaymentOutcome::Duplicate && r.original ? *r.original : r.outcome;
    if ((effective == PaymentOutcome::QueueFull || effective == PaymentOutcome::CircuitOpen) &&
        r.retryAfter.count() > 0) {
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray::number(static_cast<qint64>(
                                                                      std::ceil(toSeconds(r.retryAfter))))));
    }
    return reply;
}

HttpReply fromCommand(const CommandResult& r) {
    if (r.ok) {
        QJsonObject o{{QStringLiteral("ok"), true}};
        if (!r.id.isEmpty()) {
            o.insert(QStringLiteral("id"), r.id);
        }
        return HttpReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    const int status = r.error.contains(QStringLiteral(": unknown")) ? 404
                       : r.error.contains(QStringLiteral("must be")) ? 400
                                                                     : 409;
    return HttpReply::error(status, r.error);
}

// A JSON object body (empty means {}), or an error naming what is wrong.
std::optional<QJsonObject> objectBody(const QByteArray& body, HttpReply* error) {
    if (body.trimmed().isEmpty()) {
        return QJsonObject();
    }
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = HttpReply::error(
            400, QStringLiteral("body: must be a JSON object (%1)").arg(parse.errorString()));
        return std::nullopt;
    }
    return doc.object();
}

std::optional<double> number(const QJsonObject& o, const char* key, double min, double max, QString* error) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        return std::nullopt;
    }
    if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max) {
        *error =
            QStringLiteral("%1: must be a number from %2 to %3").arg(QLatin1String(key)).arg(min).arg(max);
        return std::nullopt;
    }
    return v.toDouble();
}

CommandOrigin originOf(const QJsonObject& body) {
    CommandOrigin origin;
    origin.actor = body.value(QStringLiteral("actor")).toString(QStringLiteral("api"));
    origin.reason = body.value(QStringLiteral("reason")).toString();
    return origin;
}

}  // namespace

QString traceIdFromTraceparent(const QByteArray& header) {
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$"));
    const auto match = pattern.match(QString::fromLatin1(header.trimmed()));
    if (!match.hasMatch() || match.captured(1) == QString(32, QLatin1Char('0'))) {
        return {};
    }
    return match.captured(1);
}

ApiRouter::ApiRouter(Engine& engine, QString token) : engine_(engine), token_(std::move(token)) {}

QFuture<HttpReply> ApiRouter::handle(const ApiRequest& request) {
    if (request.path.size() > kMaxUrlBytes) {
        return ready(HttpReply::error(414, QStringLiteral("url: longer than 8 KiB")));
    }
    // HTTP/1.1 requires Host (RFC 9112 §3.2). Qt's parser also drops the whole header list when
    // it is flooded with lines, which this catches too.
    if (!request.headers.contains("host")) {
        return ready(HttpReply::error(400, QStringLiteral("host: the Host header is required")));
    }
    qsizetype headerBytes = request.headerBytes;
    for (auto it = request.headers.cbegin(); it != request.headers.cend() && request.headerBytes == 0; ++it) {
        headerBytes += it.key().size() + it.value().size() + 4;
    }
    if (headerBytes > kMaxHeaderBytes) {
        return ready(HttpReply::error(431, QStringLiteral("headers: larger than 32 KiB in all")));
    }
    if (request.body.size() > kMaxBodyBytes) {
        return ready(HttpReply::error(413, QStringLiteral("body: larger than 64 KiB")));
    }
    const QString path = request.path;
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    const auto methodNotAllowed = [](const QByteArray& allow) {
        HttpReply reply = HttpReply::error(405, QStringLiteral("method: not allowed here"));
        reply.headers.append(qMakePair(QByteArray("Allow"), allow));
        return ready(reply);
    };

    if (path == u"/healthz") {
        return get ? ready(HttpReply::json(200, R"({"status":"ok"})")) : methodNotAllowed("GET");
    }
    if (path == u"/readyz") {
        if (!get) {
            return methodNotAllowed("GET");
        }
        return ready(engine_.latestSnapshot() ? HttpReply::json(200, R"({"status":"ready"})")
                                              : HttpReply::error(503, QStringLiteral("engine: not running")));
    }
    if (path == u"/metrics") {
        if (!get) {
            return methodNotAllowed("GET");
        }
        const auto snapshot = engine_.latestSnapshot();
        HttpReply reply{200,
                        snapshot ? prometheusText(*snapshot) : QByteArray(),
                        "text/plain; version=0.0.4; charset=utf-8",
                        {}};
        return ready(reply);
    }
    if (path == u"/v1/payments") {
        return post ? payments(request) : methodNotAllowed("POST");
    }
    if (path == u"/v1/deployments") {
        return post ? deployments(request) : methodNotAllowed("POST");
    }
    if (parts.size() == 3 && parts[0] == u"v1" && parts[1] == u"deployments") {
        return get ? ready(deployment(parts[2])) : methodNotAllowed("GET");
    }
    if (path == u"/v1/state" || path == u"/v1/alerts") {
        if (!get) {
            return methodNotAllowed("GET");
        }
        const auto snapshot = engine_.latestSnapshot();
        if (!snapshot) {
            return ready(HttpReply::error(503, QStringLiteral("engine: not running")));
        }
        const QJsonObject body = path == u"/v1/state" ? snapshotJson(*snapshot) : alertBoardJson(*snapshot);
        return ready(HttpReply::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    }
    if (parts.size() == 3 && parts[0] == u"v1" && parts[1] == u"traces") {
        return get ? ready(trace(parts[2], QUrlQuery(request.query))) : methodNotAllowed("GET");
    }
    if (path == u"/v1/traces") {
        return get ? ready(traces(QUrlQuery(request.query))) : methodNotAllowed("GET");
    }
    if (parts.size() >= 3 && parts[0] == u"v1" && parts[1] == u"control") {
        if (!post) {
            return methodNotAllowed("POST");
        }
        const QByteArray authorization = request.headers.value("authorization");
        if (authorization.isEmpty()) {
            HttpReply reply = HttpReply::error(
                401, QStringLiteral("authorization: a Bearer token is required for control endpoints"));
            reply.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
            return ready(reply);
        }
        if (!authorization.startsWith("Bearer ") || authorization.mid(7).trimmed() != token_.toLatin1()) {
            return ready(HttpReply::error(403, QStringLiteral("authorization: the token is not valid")));
        }
        return control(request, parts.mid(2));
    }
    return ready(HttpReply::error(404, QStringLiteral("path: no endpoint at ") + path.left(200)));
}

QFuture<HttpReply> ApiRouter::payments(const ApiRequest& request) {
    const QString trace = traceIdFromTraceparent(request.headers.value("traceparent"));
    return engine_.submitPayment(request.body, trace)
        .then(QtFuture::Launch::Sync, [](const PaymentResponse& r) { return fromPayment(r); });
}

QFuture<HttpReply> ApiRouter::deployments(const ApiRequest& request) {
    HttpReply error;
    const auto body = objectBody(request.body, &error);
    if (!body) {
        return ready(error);
    }
    return engine_.execute(RequestDeployment{*body, originOf(*body)})
        .then(QtFuture::Launch::Sync, [](const CommandResult& r) {
            if (r.ok) {
                return HttpReply::json(
                    202, QJsonDocument(QJsonObject{{QStringLiteral("id"), r.id},
                                                   {QStringLiteral("status"), QStringLiteral("accepted")}})
                             .toJson(QJsonDocument::Compact));
            }
            QJsonObject o{{QStringLiteral("error"), r.error}};
            if (!r.id.isEmpty()) {
                o.insert(QStringLiteral("id"), r.id);
            }
            QJsonArray reasons;
            for (const QString& reason : r.reasons) {
                reasons.append(reason);
            }
            o.insert(QStringLiteral("reasons"), reasons);
            const auto field = HttpReply::error(422, r.error);
            if (const auto f = QJsonDocument::fromJson(field.body).object().value(QStringLiteral("field"));
                !f.isUndefined()) {
                o.insert(QStringLiteral("field"), f);
            }
            return HttpReply::json(422, QJsonDocument(o).toJson(QJsonDocument::Compact));
        });
}

HttpReply ApiRouter::deployment(const QString& id) const {
    const auto snapshot = engine_.latestSnapshot();
    if (snapshot) {
        for (const RolloutView& v : snapshot->rollouts) {
            if (v.id == id) {
                return HttpReply::json(200, QJsonDocument(rolloutToJson(v)).toJson(QJsonDocument::Compact));
            }
        }
    }
    return HttpReply::error(404, QStringLiteral("id: no deployment '%1'").arg(id.left(64)));
}

HttpReply ApiRouter::traces(const QUrlQuery& query) const {
    TraceQuery q;
    q.customerId = query.queryItemValue(QStringLiteral("customer"), QUrl::FullyDecoded);
    if (query.hasQueryItem(QStringLiteral("outcome"))) {
        q.outcome = paymentOutcomeFromString(query.queryItemValue(QStringLiteral("outcome")));
        if (!q.outcome) {
            return HttpReply::error(400,
                                    QStringLiteral("outcome: not a payment outcome (charged, rejected, …)"));
        }
    }
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 1000) {
            return HttpReply::error(400, QStringLiteral("limit: must be a number from 1 to 1000"));
        }
        q.limit = static_cast<std::size_t>(limit);
    }
    QJsonArray out;
    if (TraceStore* store = engine_.traceStore()) {
        for (const auto& t : store->search(q)) {
            out.append(traceJson(*t, true));
        }
    }
    return HttpReply::json(
        200, QJsonDocument(QJsonObject{{QStringLiteral("traces"), out}}).toJson(QJsonDocument::Compact));
}

HttpReply ApiRouter::trace(const QString& traceId, const QUrlQuery& options) const {
    static const QRegularExpression shape(QStringLiteral("^[0-9a-f]{32}$"));
    if (!shape.match(traceId).hasMatch()) {
        return HttpReply::error(400, QStringLiteral("trace_id: must be 32 lowercase hex digits"));
    }
    const auto kept = engine_.traceStore() != nullptr ? engine_.traceStore()->find(traceId) : nullptr;
    const QString format = options.queryItemValue(QStringLiteral("format"));
    if (format == u"otlp") {
        if (!kept) {
            return HttpReply::error(
                404, QStringLiteral("trace_id: %1 was not kept (sampled out, or evicted)").arg(traceId));
        }
        return HttpReply::json(200, otlpTraceRequest({kept}));
    }
    if (!format.isEmpty()) {
        return HttpReply::error(400,
                                QStringLiteral("format: expected otlp, or nothing for the console's JSON"));
    }
    AuditStore* store = engine_.auditStore();
    AuditQuery query;
    query.traceId = traceId;
    query.limit = 1000;
    QJsonArray events;
    for (const AuditRecord& r : store != nullptr ? store->query(query) : std::vector<AuditRecord>{}) {
        events.append(
            QJsonObject{{QStringLiteral("seq"), static_cast<qint64>(r.seq)},
                        {QStringLiteral("at_ms"), static_cast<qint64>(r.row.atMs)},
                        {QStringLiteral("kind"), r.row.kind},
                        {QStringLiteral("subject"), r.row.subject},
                        {QStringLiteral("payload"), QJsonDocument::fromJson(r.row.payload).object()}});
    }
    if (events.isEmpty() && !kept) {
        return HttpReply::error(
            404,
            QStringLiteral("trace_id: no trace or events for %1 (yet: decisions are written within 50 ms)")
                .arg(traceId));
    }
    QJsonObject body{{QStringLiteral("trace_id"), traceId}, {QStringLiteral("events"), events}};
    if (kept) {
        body.insert(QStringLiteral("trace"), traceJson(*kept));
    }
    return HttpReply::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QFuture<HttpReply> ApiRouter::control(const ApiRequest& request, const QStringList& parts) {
    HttpReply bad;
    const auto parsed = objectBody(request.body, &bad);
    if (!parsed) {
        return ready(bad);
    }
    const QJsonObject& body = *parsed;
    const CommandOrigin origin = originOf(body);
    const auto run = [this](const EngineCommand& command) {
        return engine_.execute(command).then(QtFuture::Launch::Sync,
                                             [](const CommandResult& r) { return fromCommand(r); });
    };
    QString error;
    // breakers/{name}/{force-open|force-half-open|force-closed|release}
    if (parts.size() == 3 && parts[0] == u"breakers") {
        static const QHash<QString, BreakerControl> controls{
            {QStringLiteral("force-open"), BreakerControl::ForceOpen},
            {QStringLiteral("force-half-open"), BreakerControl::ForceHalfOpen},
            {QStringLiteral("force-closed"), BreakerControl::ForceClosed},
            {QStringLiteral("release"), BreakerControl::Release}};
        if (!controls.contains(parts[2])) {
            return ready(HttpReply::error(
                404, QStringLiteral("control: unknown breaker control '%1'").arg(parts[2].left(40))));
        }
        return run(ControlBreaker{parts[1], controls.value(parts[2]), origin});
    }
    // deployments/{id}/{pause|resume|promote|promote-full|abort|rollback|retry}
    if (parts.size() == 3 && parts[0] == u"deployments") {
        const auto control =
            rolloutControlFromString(QString(parts[2]).replace(QLatin1Char('-'), QLatin1Char('_')));
        if (!control) {
            return ready(HttpReply::error(
                404, QStringLiteral("control: unknown rollout control '%1'").arg(parts[2].left(40))));
        }
        const QString region = body.value(QStringLiteral("region")).toString();
        if (*control == RolloutControl::Rollback && region.isEmpty()) {
            return ready(HttpReply::error(400, QStringLiteral("region: required for rollback")));
        }
        return run(ControlRollout{parts[1], *control, region, origin});
    }
    // alerts/{ack|silence} with {"alert": "rule/subject", "reason": ..., "duration_s": ...}
    if (parts.size() == 2 && parts[0] == u"alerts" && (parts[1] == u"ack" || parts[1] == u"silence")) {
        const QString key = body.value(QStringLiteral("alert")).toString();
        if (key.isEmpty()) {
            return ready(HttpReply::error(
                400, QStringLiteral("alert: required (a key such as breaker_open/payment-gateway)")));
        }
        ControlAlert command{key, ControlAlert::Action::Acknowledge, 0, origin};
        if (parts[1] == u"silence") {
            command.action = ControlAlert::Action::Silence;
            const auto duration = number(body, "duration_s", 0, 7 * 86400, &error);
            if (!error.isEmpty() || !duration) {
                return ready(HttpReply::error(
                    400,
                    error.isEmpty() ? QStringLiteral("duration_s: required (0 lifts a silence)") : error));
            }
            command.durationS = static_cast<int>(*duration);
        }
        return run(command);
    }
    if (parts.size() == 1 && parts[0] == u"gateway-fault") {
        GatewayFault f;
        f.latencyMs = static_cast<int>(number(body, "latency_ms", 0, 600000, &error).value_or(0));
        f.jitterMs = static_cast<int>(number(body, "jitter_ms", 0, 600000, &error).value_or(0));
        f.errorRate = number(body, "error_rate", 0, 1, &error).value_or(0);
        f.timeoutRate = number(body, "timeout_rate", 0, 1, &error).value_or(0);
        f.down = body.value(QStringLiteral("down")).toBool(false);
        if (!error.isEmpty()) {
            return ready(HttpReply::error(400, error));
        }
        return run(SetGatewayFault{f, origin});
    }
    if (parts.size() == 1 && parts[0] == u"infra-fault") {
        InfraFault f;
        f.region = body.value(QStringLiteral("region")).toString();
        f.version = body.value(QStringLiteral("version")).toString();
        f.errorRate = number(body, "error_rate", 0, 1, &error);
        if (const auto p = number(body, "p99_ms", 0, 3.6e6, &error))
            f.p99Ms = static_cast<int>(*p);
        f.actionFailureRate = number(body, "action_failure_rate", 0, 1, &error);
        if (const auto c = number(body, "capacity", 0, 1e9, &error))
            f.capacity = static_cast<int>(*c);
        std::optional<int> forSeconds;
        if (const auto s = number(body, "for_s", 1, 86400, &error))
            forSeconds = static_cast<int>(*s);
        if (!error.isEmpty()) {
            return ready(HttpReply::error(400, error));
        }
        return run(SetInfraFault{f, forSeconds, body.value(QStringLiteral("clear")).toBool(false), origin});
    }
    if (parts.size() == 1 && (parts[0] == u"load" || parts[0] == u"burst")) {
        const int rate = static_cast<int>(
            number(body, "payments_per_s", 0, 1e7, &error).value_or(parts[0] == u"load" ? 0 : 100));
        const double share = number(body, "fraudster_share", 0, 1, &error).value_or(0.01);
        const int customers = static_cast<int>(number(body, "customers", 1, 1e9, &error).value_or(500));
        const int seconds = static_cast<int>(number(body, "seconds", 1, 3600, &error).value_or(10));
        if (!error.isEmpty()) {
            return ready(HttpReply::error(400, error));
        }
        if (parts[0] == u"load") {
            return run(SetLoad{rate, share, customers, origin});
        }
        return run(StartBurst{rate, seconds, share, customers, origin});
    }
    return ready(
        HttpReply::error(404, QStringLiteral("path: no control endpoint at %1").arg(request.path.left(200))));
}

}  // namespace tai
