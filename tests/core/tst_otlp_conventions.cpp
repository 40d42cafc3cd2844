// Traces as OpenTelemetry expects them (issue 18, item 2): every export is an
// ExportTraceServiceRequest (checked field by field, otlp_request_check.h), spans have the kinds,
// typed attributes and status of the semantic conventions, HTTP attributes only where the payment
// came over HTTP, a caller's traceparent gives the root its parent and decides sampling, and a
// trace the caller does not record (-00) is never exported. The payments go through the real
// router and engine, on a virtual clock.
#include "api/api_router.h"
#include "base/virtual_clock.h"
#include "engine/engine.h"
#include "otlp_request_check.h"
#include "trace/kept_trace.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <future>

using namespace tai;
using namespace std::chrono_literals;
using otlpcheck::attributeValue;

namespace {
constexpr const char* kCallerTrace = "0af7651916cd43dd8448eb211c80319c";
constexpr const char* kCallerSpan = "b7ad6b7169203331";

QByteArray payment(const char* customer, const char* extra = "") {
    return QByteArray(R"({"customer_id":")") + customer +
           R"(","merchant_id":"m1","amount":"10.00","currency":"USD")" + extra + "}";
}

// The attribute names of the conventions we use; everything else is ours and namespaced tai.*.
const QStringList kConventionKeys{"http.request.method", "http.response.status_code",
                                  "http.route",          "url.path",
                                  "url.scheme",          "url.full",
                                  "user_agent.original", "client.address",
                                  "client.port",         "server.address",
                                  "server.port",         "error.type"};

struct Rig {
    explicit Rig(LoadProfile load = {}) {
        EngineConfig config;
        config.traceSampler = QStringLiteral("never");  // only the caller's flag or the outcome keeps one
        config.otlpFile = dir.filePath(QStringLiteral("traces.jsonl"));
        config.load = load;
        engine = std::make_unique<Engine>(config, clock);
        engine->start();
        router = std::make_unique<ApiRouter>(*engine, QStringLiteral("token"));
    }

    HttpReply send(const QByteArray& method, const QString& path, const QString& query = {},
                   const QByteArray& body = {}, QHash<QByteArray, QByteArray> headers = {}) {
        ApiRequest request;
        request.method = method;
        request.path = path;
        request.query = query;
        request.body = body;
        headers.insert("host", "127.0.0.1");
        request.headers = std::move(headers);
        request.peer = "127.0.0.1:40522";
        auto answer = std::make_shared<std::promise<HttpReply>>();
        std::future<HttpReply> reply = answer->get_future();
        router->handle(request, [answer](HttpReply r) { answer->set_value(std::move(r)); });
        return reply.get();
    }
    QJsonObject pay(const QByteArray& body, const QByteArray& traceparent = {}) {
        QHash<QByteArray, QByteArray> headers{{"user-agent", "otlp-test/1"}};
        if (!traceparent.isEmpty()) {
            headers.insert("traceparent", traceparent);
        }
        const HttpReply reply = send("POST", QStringLiteral("/v1/payments"), {}, body, headers);
        QJsonObject o = QJsonDocument::fromJson(reply.body).object();
        o.insert(QStringLiteral("http_status"), reply.status);
        return o;
    }
    // The trace as GET /v1/traces/{id}?format=otlp serves it, checked; nullopt when not kept.
    std::optional<otlpcheck::RequestCheck> otlp(const QString& traceId) {
        const HttpReply reply =
            send("GET", QStringLiteral("/v1/traces/") + traceId, QStringLiteral("format=otlp"));
        if (reply.status == 404) {
            return std::nullopt;
        }
        otlpcheck::RequestCheck check;
        check.check(QJsonDocument::fromJson(reply.body).object());
        return check;
    }
    void advance(Duration d) {
        engine->invoke([this, d] { clock.advanceBy(d); }).waitForFinished();
    }
    // Stops the engine (the exporter writes what it holds) and reads the file's lines.
    std::vector<QJsonObject> exportedLines() {
        router.reset();
        engine.reset();
        QFile file(dir.filePath(QStringLiteral("traces.jsonl")));
        std::vector<QJsonObject> lines;
        if (file.open(QIODevice::ReadOnly)) {
            while (!file.atEnd()) {
                lines.push_back(QJsonDocument::fromJson(file.readLine()).object());
            }
        }
        return lines;
    }

    QTemporaryDir dir;
    VirtualClock clock{TimePoint{std::chrono::seconds(1'767'225'600)}};
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ApiRouter> router;
};

const QJsonObject* spanNamed(const otlpcheck::RequestCheck& check, const QString& name) {
    for (const auto& s : check.spans) {
        if (s.span.value("name").toString() == name) {
            return &s.span;
        }
    }
    return nullptr;
}

QJsonArray attributesOf(const QJsonObject* span) {
    return span ? span->value("attributes").toArray() : QJsonArray();
}

int statusCode(const QJsonObject* span) {
    return span ? span->value("status").toObject().value("code").toInt(0) : -1;  // 0: unset
}

// The checks every exported request passes, whatever it holds.
void verifyShapeAndNames(const otlpcheck::RequestCheck& check) {
    QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join('\n')));
    QVERIFY(!check.spans.empty());
    QCOMPARE(attributeValue(check.resourceAttributes, "service.name")->value("stringValue").toString(),
             QStringLiteral("tai-console"));
    QCOMPARE(attributeValue(check.resourceAttributes, "service.version")->value("stringValue").toString(),
             QStringLiteral(TAI_VERSION));
    QVERIFY(!attributeValue(check.resourceAttributes, "service.instance.id")
                 ->value("stringValue")
                 .toString()
                 .isEmpty());
    for (const auto& s : check.spans) {
        for (const QJsonValue& kv : s.span.value("attributes").toArray()) {
            const QString key = kv.toObject().value("key").toString();
            QVERIFY2(key.startsWith("tai.") || kConventionKeys.contains(key), qPrintable(key));
        }
        // OK is never set: a span is unset or ERROR.
        QVERIFY(statusCode(&s.span) == 0 || statusCode(&s.span) == 2);
    }
}
}  // namespace

class TestOtlpConventions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSampledCallerGetsAServerSpanUnderItsOwnWithTypedHttpAttributes() {
        Rig rig;
        const QJsonObject paid =
            rig.pay(payment("c1"), QByteArray("00-") + kCallerTrace + '-' + kCallerSpan + "-01");
        QCOMPARE(paid.value("http_status").toInt(), 200);
        QCOMPARE(paid.value("trace_id").toString(), QLatin1String(kCallerTrace));
        // Kept although the local sampler says never: the caller records it (ParentBased).
        const auto check = rig.otlp(QLatin1String(kCallerTrace));
        QVERIFY(check);
        verifyShapeAndNames(*check);

        const QJsonObject* root = spanNamed(*check, "process_signal");
        QVERIFY(root);
        QCOMPARE(root->value("traceId").toString(), QLatin1String(kCallerTrace));
        QCOMPARE(root->value("parentSpanId").toString(), QLatin1String(kCallerSpan));
        QCOMPARE(root->value("kind").toInt(), 2);  // SPAN_KIND_SERVER
        QCOMPARE(statusCode(root), 0);             // unset: it did not fail
        const QJsonArray a = attributesOf(root);
        QCOMPARE(attributeValue(a, "http.request.method")->value("stringValue").toString(),
                 QStringLiteral("POST"));
        QCOMPARE(attributeValue(a, "http.response.status_code")->value("intValue").toString(),
                 QStringLiteral("200"));
        QCOMPARE(attributeValue(a, "url.path")->value("stringValue").toString(),
                 QStringLiteral("/v1/payments"));
        QCOMPARE(attributeValue(a, "http.route")->value("stringValue").toString(),
                 QStringLiteral("/v1/payments"));
        QCOMPARE(attributeValue(a, "url.scheme")->value("stringValue").toString(), QStringLiteral("http"));
        QCOMPARE(attributeValue(a, "user_agent.original")->value("stringValue").toString(),
                 QStringLiteral("otlp-test/1"));
        QCOMPARE(attributeValue(a, "client.address")->value("stringValue").toString(),
                 QStringLiteral("127.0.0.1"));
        QCOMPARE(attributeValue(a, "client.port")->value("intValue").toString(), QStringLiteral("40522"));
        QVERIFY(!attributeValue(a, "http.status_code"));  // the deprecated name is gone
        QVERIFY(!attributeValue(a, "error.type"));
        QCOMPARE(attributeValue(a, "tai.trace.sampling")->value("stringValue").toString(),
                 QStringLiteral("parent"));
        QCOMPARE(attributeValue(a, "tai.payment.amount_minor")->value("intValue").toString(),
                 QStringLiteral("1000"));

        // Every other span is a child in the same trace; the gateway call is CLIENT, the rest INTERNAL.
        for (const auto& s : check->spans) {
            QCOMPARE(s.span.value("traceId").toString(), QLatin1String(kCallerTrace));
            if (&s.span != root) {
                QVERIFY(s.span.contains("parentSpanId"));
                QCOMPARE(s.span.value("kind").toInt(),
                         s.span.value("name").toString() == u"gateway_call" ? 3 : 1);
                QCOMPARE(statusCode(&s.span), 0);
            }
        }
        const QJsonObject* call = spanNamed(*check, "gateway_call");
        QVERIFY(call);
        QVERIFY(attributeValue(attributesOf(call), "tai.gateway.latency_ms")->contains("doubleValue"));
        QVERIFY(!attributeValue(attributesOf(call), "http.request.method"));  // the simulator is not HTTP
        const QJsonObject* rule = spanNamed(*check, "rule:velocity");
        QVERIFY(rule);
        QCOMPARE(attributeValue(attributesOf(rule), "tai.rule.fired")->value("boolValue"), QJsonValue(false));
        QVERIFY(attributeValue(attributesOf(rule), "tai.rule.weight")->contains("intValue"));

        // The exporter's file holds it too, as ExportTraceServiceRequest lines.
        const auto lines = rig.exportedLines();
        QVERIFY(!lines.empty());
        for (const QJsonObject& line : lines) {
            otlpcheck::RequestCheck fileCheck;
            fileCheck.check(line);
            QVERIFY2(fileCheck.problems.isEmpty(), qPrintable(fileCheck.problems.join('\n')));
        }
    }

    void aCallerThatDoesNotRecordIsNeitherSampledNorExported() {
        Rig rig(LoadProfile{0, 0, 1});
        const QByteArray unsampled = QByteArray("00-") + kCallerTrace + '-' + kCallerSpan + "-00";
        QCOMPARE(rig.pay(payment("c1"), unsampled).value("http_status").toInt(), 200);
        QVERIFY(!rig.otlp(QLatin1String(kCallerTrace)));  // charged and not recorded: not kept at all

        // A decline is always kept for the console's "why", but the caller said it does not record
        // this trace, so it is not exported; a sampled one next to it is.
        const QString declinedTrace = QStringLiteral("1af7651916cd43dd8448eb211c80319c");
        const QString sampledTrace = QStringLiteral("2af7651916cd43dd8448eb211c80319c");
        QCOMPARE(rig.pay(payment("cust_666"), "00-" + declinedTrace.toLatin1() + '-' + kCallerSpan + "-00")
                     .value("http_status")
                     .toInt(),
                 402);
        QCOMPARE(rig.pay(payment("c2"), "00-" + sampledTrace.toLatin1() + '-' + kCallerSpan + "-01")
                     .value("http_status")
                     .toInt(),
                 200);
        const auto kept = rig.otlp(declinedTrace);
        QVERIFY(kept);  // the API still shows it
        QCOMPARE(spanNamed(*kept, "process_signal")->value("parentSpanId").toString(),
                 QLatin1String(kCallerSpan));
        QStringList exported;
        for (const QJsonObject& line : rig.exportedLines()) {
            otlpcheck::RequestCheck check;
            check.check(line);
            QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join('\n')));
            for (const auto& s : check.spans) {
                exported << s.span.value("traceId").toString();
            }
        }
        QVERIFY(exported.contains(sampledTrace));
        QVERIFY(!exported.contains(declinedTrace));
        QVERIFY(!exported.contains(QLatin1String(kCallerTrace)));
    }

    void aMalformedTraceparentStartsANewTraceWithoutAParent_data() {
        QTest::addColumn<QByteArray>("traceparent");
        QTest::newRow("all-zero trace id")
            << QByteArray("00-00000000000000000000000000000000-b7ad6b7169203331-01");
        QTest::newRow("all-zero span id")
            << QByteArray("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01");
        QTest::newRow("upper-case hex")
            << QByteArray("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01");
        QTest::newRow("version ff") << QByteArray("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        QTest::newRow("version 00 with more")
            << QByteArray("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x");
        QTest::newRow("short") << QByteArray("00-0af7651916cd43dd-b7ad6b7169203331-01");
    }
    void aMalformedTraceparentStartsANewTraceWithoutAParent() {
        QFETCH(QByteArray, traceparent);
        Rig rig;
        const QJsonObject declined = rig.pay(payment("cust_666"), traceparent);
        QCOMPARE(declined.value("http_status").toInt(), 402);
        const QString traceId = declined.value("trace_id").toString();
        QVERIFY(traceId != QLatin1String(kCallerTrace));
        const auto check = rig.otlp(traceId);
        QVERIFY(check);
        QVERIFY(!spanNamed(*check, "process_signal")->contains("parentSpanId"));
    }

    void aDeclineIsAnAnswerNotAnError() {
        Rig rig;
        const QJsonObject declined = rig.pay(payment("cust_666"));
        QCOMPARE(declined.value("http_status").toInt(), 402);
        const auto check = rig.otlp(declined.value("trace_id").toString());
        QVERIFY(check);
        verifyShapeAndNames(*check);
        const QJsonObject* root = spanNamed(*check, "process_signal");
        QCOMPARE(root->value("kind").toInt(), 2);
        QVERIFY(!root->contains("parentSpanId"));  // no traceparent: a new trace
        QCOMPARE(
            attributeValue(attributesOf(root), "http.response.status_code")->value("intValue").toString(),
            QStringLiteral("402"));
        QCOMPARE(attributeValue(attributesOf(root), "tai.payment.outcome")->value("stringValue").toString(),
                 QStringLiteral("rejected"));
        QVERIFY(!attributeValue(attributesOf(root), "error.type"));
        // A 4xx on a SERVER span leaves its status unset, and so does every span under it.
        for (const auto& s : check->spans) {
            QCOMPARE(statusCode(&s.span), 0);
        }
        const QJsonObject* policy = spanNamed(*check, "evaluate_policy");
        QCOMPARE(attributeValue(attributesOf(policy), "tai.policy.rejected")->value("boolValue"),
                 QJsonValue(true));
        QCOMPARE(attributeValue(attributesOf(policy), "tai.policy.score")->value("intValue").toString(),
                 QStringLiteral("100"));
    }

    void aGatewayFailureIsAnErrorOfTheServerAndTheClientSpan() {
        Rig rig;
        const QJsonObject failed = rig.pay(payment("c5", R"(,"sim":{"gateway":"error"})"));
        QCOMPARE(failed.value("http_status").toInt(), 502);
        const auto check = rig.otlp(failed.value("trace_id").toString());
        QVERIFY(check);
        verifyShapeAndNames(*check);
        const QJsonObject* root = spanNamed(*check, "process_signal");
        QCOMPARE(root->value("kind").toInt(), 2);
        QCOMPARE(statusCode(root), 2);  // STATUS_CODE_ERROR: a 5xx
        QCOMPARE(
            attributeValue(attributesOf(root), "http.response.status_code")->value("intValue").toString(),
            QStringLiteral("502"));
        QCOMPARE(attributeValue(attributesOf(root), "error.type")->value("stringValue").toString(),
                 QStringLiteral("502"));
        const QJsonObject* call = spanNamed(*check, "gateway_call");
        QVERIFY(call);
        QCOMPARE(call->value("kind").toInt(), 3);  // SPAN_KIND_CLIENT
        QCOMPARE(statusCode(call), 2);
        QCOMPARE(attributeValue(attributesOf(call), "error.type")->value("stringValue").toString(),
                 QStringLiteral("gateway_error"));
        QCOMPARE(statusCode(spanNamed(*check, "execute_action")), 2);
        QCOMPARE(statusCode(spanNamed(*check, "evaluate_policy")), 0);
    }

    void generatedLoadIsInternalAndCarriesNoHttpAttributes() {
        Rig rig(LoadProfile{100, 1.0, 20});  // every generated payment is a fraudster's: all kept
        rig.advance(200ms);
        auto found = rig.engine->findTraces(TraceQuery{});
        found.waitForFinished();
        const auto traces = found.result();
        QVERIFY(!traces.empty());
        const auto check = rig.otlp(traces.front()->traceId());
        QVERIFY(check);
        verifyShapeAndNames(*check);
        const QJsonObject* root = spanNamed(*check, "process_signal");
        QCOMPARE(root->value("kind").toInt(), 1);  // SPAN_KIND_INTERNAL: it never came over HTTP
        QVERIFY(!root->contains("parentSpanId"));
        QCOMPARE(statusCode(root), 0);
        for (const auto& s : check->spans) {
            for (const QJsonValue& kv : s.span.value("attributes").toArray()) {
                const QString key = kv.toObject().value("key").toString();
                QVERIFY2(!key.startsWith("http.") && !key.startsWith("url.") && !key.startsWith("client."),
                         qPrintable(key));
            }
        }
        QCOMPARE(attributeValue(attributesOf(root), "tai.trace.sampling")->value("stringValue").toString(),
                 QStringLiteral("kept: rejected"));
    }

    // A deployment's trace follows the same conventions: its own keys are tai.*, and the failed
    // action is an ERROR span.
    void aDeploymentTraceIsNamespacedToo() {
        Rig rig;
        auto faulted = rig.engine->execute(
            SetInfraFault{InfraFault{"us-west-2", "v2.0.0", 0.2, {}, {}, {}, {}}, {}, false, {}});
        faulted.waitForFinished();
        QVERIFY(faulted.result().ok());
        auto requested = rig.engine->execute(
            RequestDeployment{QJsonObject{{"service", "api-service"}, {"version", "v2.0.0"}}, {"ana", {}}});
        requested.waitForFinished();
        QVERIFY(requested.result().ok());
        rig.advance(11s);  // the canary's first health sample rolls it back
        TraceQuery q;
        q.tags = {{"deployment", "d-1"}};
        auto found = rig.engine->findTraces(q);
        found.waitForFinished();
        QCOMPARE(found.result().size(), std::size_t{1});
        const auto check = rig.otlp(found.result().front()->traceId());
        QVERIFY(check);
        verifyShapeAndNames(*check);
        const QJsonObject* rollback = spanNamed(*check, "rollback");
        QVERIFY(rollback);
        QCOMPARE(
            attributeValue(attributesOf(rollback), "tai.deployment.stage")->value("stringValue").toString(),
            QStringLiteral("rolled_back"));
        QCOMPARE(
            attributeValue(attributesOf(rollback), "tai.deployment.region")->value("stringValue").toString(),
            QStringLiteral("us-west-2"));
    }
};

QTEST_GUILESS_MAIN(TestOtlpConventions)
#include "tst_otlp_conventions.moc"
