// The HTTP API's conventions (issue 18, item 4), against a real headless process on loopback:
// /v1/openapi.json documents exactly the routes the router serves (its route table, both ways,
// and every documented route answers on the wire), it is valid OpenAPI 3.1 whose schemas are
// JSON Schema 2020-12 (check_openapi.py with Debian's python3-jsonschema) and match the real
// answers; HEAD is answered wherever GET is, with the same headers and no body; every answer
// carries an IMF-fixdate Date; unknown keys in control bodies are refused by name.
#include "api/api_routes.h"
#include "headless_process.h"
#include "http_test_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace tai;

namespace {
const QStringList kMethods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};

// RFC 7231 §7.1.1.1: "Sun, 06 Nov 1994 08:49:37 GMT".
bool isImfFixdate(const QByteArray& date) {
    static const QRegularExpression fixdate(QStringLiteral(
        "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        "[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$"));
    return fixdate.match(QString::fromLatin1(date)).hasMatch();
}

struct Exchange {
    QString route;  // the template
    QByteArray method;
    QByteArray path;
    tai::HttpParsedResponse response;
};

class Wire {
public:
    Wire(quint16 port, QByteArray token) : client_(port), token_(std::move(token)) {}

    std::optional<tai::HttpParsedResponse> send(const QByteArray& method, const QByteArray& path,
                                                const QByteArray& body = {}, bool authorized = false) {
        QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (authorized) {
            request += "Authorization: Bearer " + token_ + "\r\n";
        }
        if (!body.isEmpty() || method == "POST") {
            request +=
                "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                "\r\n";
        }
        request += "\r\n" + body;
        client_.reader().expect(method == "HEAD");
        if (!client_.send(request)) {
            return std::nullopt;
        }
        auto response = client_.read(10000);
        if (response) {
            dated_ += isImfFixdate(response->header("date")) ? 1 : 0;
            ++answered_;
        }
        return response;
    }
    // How many answers came, and how many of them with a valid Date.
    int answered() const { return answered_; }
    int dated() const { return dated_; }

private:
    HttpTestClient client_;
    QByteArray token_;
    int answered_ = 0;
    int dated_ = 0;
};

// A concrete path for each value a route's parameters take (all of a choice's values; a
// placeholder or a known entity otherwise).
QStringList concretePaths(const ApiRoute& route) {
    QStringList paths{route.path};
    static const QRegularExpression parameter(QStringLiteral("\\{([^}]+)\\}"));
    for (auto m = parameter.globalMatch(route.path); m.hasNext();) {
        const QString name = m.next().captured(1);
        QStringList values;
        for (const ApiRoute::Choice& choice : route.choices) {
            if (choice.parameter == name) {
                values = choice.values;
            }
        }
        if (values.isEmpty()) {
            values << (name == u"trace_id"  ? QStringLiteral("0123456789abcdef0123456789abcdef")
                       : name == u"breaker" ? QStringLiteral("payment-gateway")
                       : name == u"service" ? QStringLiteral("api-service")
                                            : QStringLiteral("d-1"));
        }
        QStringList next;
        for (const QString& p : paths) {
            for (const QString& v : values) {
                next << QString(p).replace(QLatin1Char('{') + name + QLatin1Char('}'), v);
            }
        }
        paths = next;
    }
    return paths;
}

QByteArray bodyFor(const ApiRoute& route) {
    switch (route.id) {
        case ApiRoute::Id::Payments:
            return R"({"customer_id":"c1","merchant_id":"m1","amount":"10.00","currency":"USD"})";
        case ApiRoute::Id::Deploy:
            return R"({"service":"api-service","version":"v2.0.0"})";
        default:
            return route.method == "POST" ? QByteArray("{}") : QByteArray();
    }
}
}  // namespace

class TestOpenApi : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    std::unique_ptr<HeadlessProcess> engine;
    QJsonObject document;

    int runChecker(const QString& documentFile, const QString& samplesFile, QByteArray* errors) {
        QProcess python;
        python.start(QStringLiteral(TAI_PYTHON3),
                     {QStringLiteral(TAI_SOURCE_DIR "/tests/integration/check_openapi.py"), documentFile,
                      samplesFile});
        if (!python.waitForFinished(60000)) {
            *errors = "python3 did not finish: " + python.errorString().toUtf8();
            return -1;
        }
        *errors = python.readAllStandardError();
        return python.exitStatus() == QProcess::NormalExit ? python.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(
            QFile::exists(QStringLiteral(TAI_PYTHON3)),
            "python3 with jsonschema is needed (Debian: python3-jsonschema, packaging/debian-packages.txt)");
        engine = std::make_unique<HeadlessProcess>(QStringList{"--ephemeral"});
        QVERIFY2(engine->running(), engine->log().constData());
        Wire wire(engine->port(), engine->token());
        const auto served = wire.send("GET", "/v1/openapi.json");
        QVERIFY(served);
        QCOMPARE(served->status, 200);
        QCOMPARE(served->header("content-type"), QByteArray("application/json"));
        QJsonParseError error{};
        document = QJsonDocument::fromJson(served->body, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(document.value("info").toObject().value("version").toString(), QStringLiteral(TAI_VERSION));
    }
    void cleanupTestCase() { engine.reset(); }

    void theDocumentListsExactlyTheRoutesTheRouterServes() {
        QSet<QString> served;
        for (const ApiRoute& route : apiRoutes()) {
            served.insert(QString::fromLatin1(route.method).toLower() + QLatin1Char(' ') + route.path);
        }
        QSet<QString> documented;
        const QJsonObject paths = document.value("paths").toObject();
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            for (const QString& key : it.value().toObject().keys()) {
                if (kMethods.contains(key)) {
                    documented.insert(key + QLatin1Char(' ') + it.key());
                }
            }
        }
        const QSet<QString> undocumented = served - documented;
        const QSet<QString> unserved = documented - served;
        QVERIFY2(undocumented.isEmpty(),
                 qPrintable("served, not documented: " + undocumented.values().join(", ")));
        QVERIFY2(unserved.isEmpty(), qPrintable("documented, not served: " + unserved.values().join(", ")));
        QVERIFY(served.size() >= 18);

        // Where a path parameter takes only some values, the document lists exactly those.
        for (const ApiRoute& route : apiRoutes()) {
            const QJsonObject op = paths.value(route.path)
                                       .toObject()
                                       .value(QString::fromLatin1(route.method).toLower())
                                       .toObject();
            for (const ApiRoute::Choice& choice : route.choices) {
                QStringList documentedValues;
                for (const QJsonValue& p : op.value("parameters").toArray()) {
                    if (p.toObject().value("name").toString() == choice.parameter) {
                        for (const QJsonValue& v :
                             p.toObject().value("schema").toObject().value("enum").toArray()) {
                            documentedValues << v.toString();
                        }
                    }
                }
                QCOMPARE(documentedValues, choice.values);
            }
            // Control routes say they need the token.
            QCOMPARE(op.contains("security"), route.control);
        }
    }

    void everyDocumentedRouteAnswersItsDocumentedShapeAndIsValidOpenApi() {
        Wire wire(engine->port(), engine->token());
        QJsonArray samples;
        int probes = 0;
        for (const ApiRoute& route : apiRoutes()) {
            for (const QString& path : concretePaths(route)) {
                const auto r = wire.send(route.method, path.toUtf8(), bodyFor(route), route.control);
                QVERIFY2(r, qPrintable(path));
                ++probes;
                const QJsonObject body = QJsonDocument::fromJson(r->body).object();
                // Served: never "no endpoint" (a 404 for an unknown entity names its field).
                QVERIFY2(
                    !(r->status == 404 && body.value("field").toString() == u"path") && r->status != 405,
                    qPrintable(path + QStringLiteral(" -> %1 ").arg(r->status) + QString::fromUtf8(r->body)));
                if (r->header("content-type") == "application/json") {
                    samples.append(QJsonObject{{"route", route.path},
                                               {"method", QString::fromLatin1(route.method)},
                                               {"path", path},
                                               {"status", r->status},
                                               {"body", QJsonDocument::fromJson(r->body).object()}});
                }
            }
        }
        QVERIFY(probes > 25);
        QCOMPARE(wire.dated(), wire.answered());

        const QString documentFile = dir.filePath("openapi.json");
        const QString samplesFile = dir.filePath("samples.json");
        QFile d(documentFile);
        QVERIFY(d.open(QIODevice::WriteOnly));
        d.write(QJsonDocument(document).toJson());
        d.close();
        QFile s(samplesFile);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write(QJsonDocument(samples).toJson());
        s.close();
        QByteArray errors;
        QCOMPARE(runChecker(documentFile, samplesFile, &errors), 0);
        QVERIFY2(errors.isEmpty(), errors.constData());

        // The checker does fail: a schema that is not JSON Schema, and an answer that breaks one.
        QJsonObject broken = document;
        QJsonObject components = broken.value("components").toObject();
        QJsonObject schemas = components.value("schemas").toObject();
        schemas.insert("Error", QJsonObject{{"type", "strin"}});
        components.insert("schemas", schemas);
        broken.insert("components", components);
        QFile b(dir.filePath("broken.json"));
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(QJsonDocument(broken).toJson());
        b.close();
        QCOMPARE(runChecker(b.fileName(), samplesFile, &errors), 1);
        QVERIFY2(errors.contains("components/schemas/Error"), errors.constData());
        QJsonArray wrong{QJsonObject{{"route", "/healthz"},
                                     {"method", "GET"},
                                     {"path", "/healthz"},
                                     {"status", 200},
                                     {"body", QJsonObject{{"status", "fine"}}}}};
        QFile w(dir.filePath("wrong.json"));
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(QJsonDocument(wrong).toJson());
        w.close();
        QCOMPARE(runChecker(documentFile, w.fileName(), &errors), 1);
        QVERIFY2(errors.contains("does not match"), errors.constData());
    }

    void headIsAnsweredWhereverGetIsWithTheSameHeadersAndNoBody() {
        Wire wire(engine->port(), engine->token());
        // These answer the same bytes twice in a row; state, alerts and metrics move at 10 Hz.
        const QSet<ApiRoute::Id> stable{ApiRoute::Id::Health, ApiRoute::Id::Ready, ApiRoute::Id::OpenApi,
                                        ApiRoute::Id::Trace, ApiRoute::Id::Traces};
        int routes = 0;
        for (const ApiRoute& route : apiRoutes()) {
            if (route.method != "GET") {
                continue;
            }
            ++routes;
            for (const QString& path : concretePaths(route)) {
                const auto get = wire.send("GET", path.toUtf8());
                const auto head = wire.send("HEAD", path.toUtf8());
                QVERIFY(get && head);
                QCOMPARE(head->status, get->status);
                QVERIFY2(head->body.isEmpty(), qPrintable(path));
                QCOMPARE(head->header("content-type"), get->header("content-type"));
                QVERIFY(!head->header("content-length").isEmpty());
                if (stable.contains(route.id)) {
                    QCOMPARE(head->header("content-length"), get->header("content-length"));
                    QCOMPARE(head->header("content-length").toLongLong(), get->body.size());
                }
                QStringList getNames;
                QStringList headNames;
                for (const auto& [name, value] : get->headers) {
                    getNames << QString::fromLatin1(name);
                }
                for (const auto& [name, value] : head->headers) {
                    headNames << QString::fromLatin1(name);
                }
                QCOMPARE(headNames, getNames);
            }
        }
        QCOMPARE(routes, 10);
        // A route served only with POST lists what it allows; one served with GET adds HEAD.
        const auto postOnly = wire.send("GET", "/v1/payments");
        QCOMPARE(postOnly->status, 405);
        QCOMPARE(postOnly->header("allow"), QByteArray("POST"));
        const auto getOnly = wire.send("POST", "/healthz");
        QCOMPARE(getOnly->status, 405);
        QCOMPARE(getOnly->header("allow"), QByteArray("GET, HEAD"));
        const auto headOnPost = wire.send("HEAD", "/v1/control/load");
        QCOMPARE(headOnPost->status, 405);
        QVERIFY(headOnPost->body.isEmpty());
    }

    void everyAnswerCarriesADate_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("authorized");
        QTest::addColumn<int>("status");
        QTest::newRow("200") << QByteArray("GET") << QByteArray("/healthz") << QByteArray() << false << 200;
        QTest::newRow("400") << QByteArray("GET") << QByteArray("/v1/traces?limit=0") << QByteArray() << false
                             << 400;
        QTest::newRow("401") << QByteArray("POST") << QByteArray("/v1/control/load") << QByteArray("{}")
                             << false << 401;
        QTest::newRow("404") << QByteArray("GET") << QByteArray("/nowhere") << QByteArray() << false << 404;
        QTest::newRow("404 unknown control")
            << QByteArray("POST") << QByteArray("/v1/control/breakers/payment-gateway/warp")
            << QByteArray("{}") << true << 404;
        QTest::newRow("405") << QByteArray("DELETE") << QByteArray("/v1/payments") << QByteArray() << false
                             << 405;
        QTest::newRow("413") << QByteArray("POST") << QByteArray("/v1/payments") << QByteArray(70 * 1024, ' ')
                             << false << 413;
    }
    void everyAnswerCarriesADate() {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(bool, authorized);
        QFETCH(int, status);
        Wire wire(engine->port(), engine->token());
        const auto r = wire.send(method, path, body, authorized);
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QVERIFY2(isImfFixdate(r->header("date")), r->header("date").constData());
    }

    void unknownKeysInControlBodiesAreRefusedByName_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("gateway fault")
            << QByteArray("/v1/control/gateway-fault") << QByteArray(R"({"eror_rate":0.5})") << "eror_rate";
        QTest::newRow("load") << QByteArray("/v1/control/load")
                              << QByteArray(R"({"payments_per_s":1,"rate":2})") << "rate";
        QTest::newRow("breaker named by the body too")
            << QByteArray("/v1/control/breakers/payment-gateway/force-open")
            << QByteArray(R"({"breaker":"x"})") << "breaker";
        QTest::newRow("rollout") << QByteArray("/v1/control/deployments/d-1/pause")
                                 << QByteArray(R"({"force":true})") << "force";
        QTest::newRow("deployment request")
            << QByteArray("/v1/deployments")
            << QByteArray(R"({"service":"api-service","version":"v3","colour":"red"})") << "colour";
    }
    void unknownKeysInControlBodiesAreRefusedByName() {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        Wire wire(engine->port(), engine->token());
        const auto r = wire.send("POST", path, body, true);
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        const QJsonObject answer = QJsonDocument::fromJson(r->body).object();
        QCOMPARE(answer.value("field").toString(), field);
        QVERIFY2(answer.value("error").toString().contains(field), r->body.constData());
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
