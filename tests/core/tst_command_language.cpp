// The command language (issue 13): every entry point — an HTTP control body, a scenario event, a
// CLI spec and a saved session — gives the same EngineCommand, and every refusal the same code and
// HTTP status whichever way the command came in. Every command, applied or refused, is audited.
#include "api/api_router.h"
#include "api/route_commands.h"
#include "base/virtual_clock.h"
#include "engine/command_parser.h"
#include "engine/command_spec.h"
#include "engine/engine.h"
#include "scenario/scenario_commands.h"
#include "scenario/scenario_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <future>

using namespace tai;
using namespace std::chrono_literals;

namespace {

// (moc reads "/*" inside a raw string literal as a comment, so strings with a "rule/*" key are
// written as ordinary literals below.)
QJsonObject json(const char* text) {
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

const CommandOrigin kAna{QStringLiteral("ana"), QStringLiteral("drill")};

// The HTTP entry point: the route's command object, parsed as the router parses it.
std::variant<EngineCommand, QString> fromHttp(const QString& route, const QJsonObject& body) {
    const auto object = controlCommandObject(route.split(QLatin1Char('/'), Qt::SkipEmptyParts), body);
    if (const auto* refused = std::get_if<Refusal>(&object)) {
        return refused->text();
    }
    CommandParseOptions options;
    options.defaultActor = QStringLiteral("api");
    const CommandParse parsed = parseCommand(std::get<QJsonObject>(object), options);
    if (const auto* errors = std::get_if<std::vector<CommandError>>(&parsed)) {
        return errors->front().text();
    }
    return std::get<ParsedCommand>(parsed).command;
}

// The scenario entry point: a scenario file with the event, loaded and turned into its action.
std::variant<EngineCommand, QString> fromScenario(QJsonObject event) {
    event.insert(QStringLiteral("at_s"), 1);
    const QJsonObject file{{QStringLiteral("name"), QStringLiteral("table")},
                           {QStringLiteral("duration_s"), 10},
                           {QStringLiteral("events"), QJsonArray{event}}};
    const auto parsed = parseScenario(QJsonDocument(file).toJson());
    if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
        return errors->front().path + QStringLiteral(": ") + errors->front().message;
    }
    const ScenarioAction action = actionFor(std::get<Scenario>(parsed).events.front());
    return std::get<EngineCommand>(action);
}

QString failure(const std::variant<EngineCommand, QString>& parsed) {
    const auto* error = std::get_if<QString>(&parsed);
    return error == nullptr ? QString() : *error;
}

// An engine on a virtual clock with an in-memory audit trail, to run commands against.
struct EngineRig {
    EngineRig() {
        EngineConfig config;
        config.auditDatabase = QString();  // in memory
        engine = std::make_unique<Engine>(config, clock);
        engine->start();
    }
    CommandResult run(const EngineCommand& command) {
        auto future = engine->execute(command);
        future.waitForFinished();
        return future.result();
    }
    std::vector<AuditRecord> operatorRows() {
        // Every command so far has been handed to the audit writer once the engine thread has
        // run past them; the flush waits for the writer to commit them all.
        engine->invoke([] {}).waitForFinished();
        engine->flushAudit().waitForFinished();
        AuditQuery q;
        q.kinds = {QStringLiteral("operator"), QStringLiteral("deployment")};
        q.limit = 1000;
        auto page = engine->queryAudit(q);
        page.waitForFinished();
        return page.result().records;
    }
    VirtualClock clock{TimePoint{std::chrono::seconds(1'767'225'600)}};
    std::unique_ptr<Engine> engine;
};

}  // namespace

class TestCommandLanguage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyEntryPointGivesTheSameCommand_data() {
        QTest::addColumn<QString>("route");  // under /v1/control/
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QJsonObject>("event");  // a scenario event, without at_s
        QTest::addColumn<QString>("option");     // a CLI spec option, or empty
        QTest::addColumn<QString>("spec");
        QTest::addColumn<EngineCommand>("expected");

        GatewayFault outage;
        outage.down = true;
        QTest::newRow("gateway outage")
            << "gateway-fault" << json(R"({"down":true,"actor":"ana","reason":"drill"})")
            << json(R"({"do":"gateway.fault","down":true,"actor":"ana","reason":"drill"})") << "--fault"
            << "down" << EngineCommand(SetGatewayFault{outage, kAna});
        GatewayFault slow;
        slow.errorRate = 0.3;
        slow.timeoutRate = 0.1;
        slow.latencyMs = 200;
        slow.jitterMs = 50;
        QTest::newRow("gateway errors and latency")
            << "gateway-fault"
            << json(
                   R"({"error_rate":0.3,"timeout_rate":0.1,"latency_ms":200,"jitter_ms":50,"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"gateway.fault","error_rate":0.3,"timeout_rate":0.1,"latency_ms":200,"jitter_ms":50,"actor":"ana","reason":"drill"})")
            << "--fault"
            << "error=0.3,timeout=0.1,latency=200,jitter=50" << EngineCommand(SetGatewayFault{slow, kAna});
        SetInfraFault infra;
        infra.fault.region = QStringLiteral("us-east-1");
        infra.fault.version = QStringLiteral("v2.0.0");
        infra.fault.errorRate = 0.08;
        infra.fault.p99Ms = 900;
        infra.fault.actionFailureRate = 0.5;
        infra.fault.capacity = 0;
        infra.origin = kAna;
        QTest::newRow("infrastructure fault")
            << "infra-fault"
            << json(
                   R"({"region":"us-east-1","version":"v2.0.0","error_rate":0.08,"p99_ms":900,"action_failure_rate":0.5,"capacity":0,"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"infra.fault","region":"us-east-1","version":"v2.0.0","error_rate":0.08,"p99_ms":900,"action_failure_rate":0.5,"capacity":0,"actor":"ana","reason":"drill"})")
            << "--infra-fault"
            << "region=us-east-1,version=v2.0.0,error=0.08,p99=900,actions=0.5,capacity=0"
            << EngineCommand(infra);
        SetInfraFault clear;
        clear.fault.region = QStringLiteral("eu-west-1");
        clear.clear = true;
        clear.origin = kAna;
        QTest::newRow("clear infrastructure faults")
            << "infra-fault" << json(R"({"clear":true,"region":"eu-west-1","actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"clear_infra_fault","region":"eu-west-1","actor":"ana","reason":"drill"})")
            << ""
            << "" << EngineCommand(clear);
        QTest::newRow("force open")
            << "breakers/payment-gateway/force-open" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"force_open","breaker":"payment-gateway","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(
                   ControlBreaker{QStringLiteral("payment-gateway"), BreakerControl::ForceOpen, kAna});
        QTest::newRow("force half-open a regional breaker")
            << "breakers/deploy:us-east-1/force-half-open" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"force_half_open","breaker":"deploy:us-east-1","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(
                   ControlBreaker{QStringLiteral("deploy:us-east-1"), BreakerControl::ForceHalfOpen, kAna});
        QTest::newRow("release")
            << "breakers/payment-gateway/release" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"release","breaker":"payment-gateway","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(
                   ControlBreaker{QStringLiteral("payment-gateway"), BreakerControl::Release, kAna});
        QTest::newRow("metrics only")
            << "breakers/payment-gateway/metrics-only" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"metrics_only","breaker":"payment-gateway","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(
                   ControlBreaker{QStringLiteral("payment-gateway"), BreakerControl::MetricsOnly, kAna});
        QTest::newRow("disable a regional breaker")
            << "breakers/deploy:eu-west-1/disable" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"disable","breaker":"deploy:eu-west-1","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(
                   ControlBreaker{QStringLiteral("deploy:eu-west-1"), BreakerControl::Disable, kAna});
        QTest::newRow("rollback a region")
            << "deployments/d-1/rollback" << json(R"({"region":"us-east-1","actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"rollback","deployment":"d-1","region":"us-east-1","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(ControlRollout{QStringLiteral("d-1"), RolloutControl::Rollback,
                                            QStringLiteral("us-east-1"), kAna});
        QTest::newRow("promote full")
            << "deployments/d-7/promote-full" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"promote_full","deployment":"d-7","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(ControlRollout{QStringLiteral("d-7"), RolloutControl::PromoteFull, {}, kAna});
        QTest::newRow("undo to a revision")
            << "services/api-service/undo" << json(R"({"to_revision":2,"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"undo","service":"api-service","to_revision":2,"actor":"ana","reason":"drill"})")
            << ""
            << "" << EngineCommand(UndoDeployment{QStringLiteral("api-service"), 2, kAna});
        QTest::newRow("undo to the previous revision")
            << "services/api-service/undo" << json(R"({"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"undo","service":"api-service","actor":"ana","reason":"drill"})")
            << ""
            << "" << EngineCommand(UndoDeployment{QStringLiteral("api-service"), 0, kAna});
        QTest::newRow("acknowledge")
            << "alerts/ack"
            << json(R"({"alert":"breaker_open/payment-gateway","actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"ack_alert","alert":"breaker_open/payment-gateway","actor":"ana","reason":"drill"})")
            << ""
            << ""
            << EngineCommand(ControlAlert{QStringLiteral("breaker_open/payment-gateway"),
                                          ControlAlert::Action::Acknowledge, 0, kAna});
        QTest::newRow("silence a rule")
            << "alerts/silence"
            << json("{\"alert\":\"fraud_rate/*\",\"duration_s\":900,\"actor\":\"ana\",\"reason\":\"drill\"}")
            << json(
                   "{\"do\":\"operator\",\"command\":\"silence_alert\",\"alert\":\"fraud_rate/"
                   "*\",\"duration_s\":900,\"actor\":\"ana\",\"reason\":\"drill\"}")
            << ""
            << ""
            << EngineCommand(
                   ControlAlert{QStringLiteral("fraud_rate/*"), ControlAlert::Action::Silence, 900, kAna});
        QTest::newRow("generated load")
            << "load"
            << json(
                   R"({"payments_per_s":300,"fraudster_share":0.05,"customers":900,"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"traffic","payments_per_s":300,"fraudster_share":0.05,"customers":900,"actor":"ana","reason":"drill"})")
            << ""
            << "" << EngineCommand(SetLoad{300, 0.05, 900, kAna});
        QTest::newRow("burst")
            << "burst"
            << json(
                   R"({"payments_per_s":1000,"seconds":20,"fraudster_share":0.2,"customers":50,"actor":"ana","reason":"drill"})")
            << json(
                   R"({"do":"operator","command":"start_burst","payments_per_s":1000,"seconds":20,"fraudster_share":0.2,"customers":50,"actor":"ana","reason":"drill"})")
            << ""
            << "" << EngineCommand(StartBurst{1000, 20, 0.2, 50, kAna});
    }

    void everyEntryPointGivesTheSameCommand() {
        QFETCH(QString, route);
        QFETCH(QJsonObject, body);
        QFETCH(QJsonObject, event);
        QFETCH(QString, option);
        QFETCH(QString, spec);
        QFETCH(EngineCommand, expected);

        const auto http = fromHttp(route, body);
        QCOMPARE(failure(http), QString());
        QVERIFY(std::get<EngineCommand>(http) == expected);

        const auto scenario = fromScenario(event);
        QCOMPARE(failure(scenario), QString());
        QVERIFY(std::get<EngineCommand>(scenario) == expected);

        if (!option.isEmpty()) {
            const auto cli = parseCommandSpec(option, spec, QStringLiteral("ana"));
            QCOMPARE(failure(cli), QString());
            EngineCommand fromCli = std::get<EngineCommand>(cli);
            // A spec has no reason; the command line gives one ("startup option").
            std::visit([](auto& c) { c.origin.reason = QStringLiteral("drill"); }, fromCli);
            QVERIFY(fromCli == expected);
        }
        // A saved session writes the command back; it reads as the same command.
        const CommandParse session = parseCommand(commandJson(expected));
        QVERIFY(std::holds_alternative<ParsedCommand>(session));
        QVERIFY(std::get<ParsedCommand>(session).command == expected);
    }

    void deploymentsComeInTheSameWayToo() {
        const QJsonObject expectedBody{{QStringLiteral("service"), QStringLiteral("api-service")},
                                       {QStringLiteral("version"), QStringLiteral("v2.0.0")}};
        const auto cli = parseCommandSpec(QStringLiteral("--deploy"), QStringLiteral("api-service:v2.0.0"),
                                          QStringLiteral("ana"));
        QVERIFY(std::holds_alternative<EngineCommand>(cli));
        const auto* fromCli = std::get_if<RequestDeployment>(&std::get<EngineCommand>(cli));
        QVERIFY(fromCli);
        QCOMPARE(fromCli->body, expectedBody);
        const auto scenario =
            fromScenario(json(R"({"do":"deploy","service":"api-service","version":"v2.0.0","actor":"ana"})"));
        QVERIFY(std::holds_alternative<EngineCommand>(scenario));
        QVERIFY(std::get<EngineCommand>(scenario) ==
                EngineCommand(RequestDeployment{expectedBody, {QStringLiteral("ana"), {}}}));
        QVERIFY(std::get<EngineCommand>(cli) ==
                EngineCommand(RequestDeployment{expectedBody, {QStringLiteral("ana"), {}}}));
    }

    // Malformed commands are refused before they reach the engine, with the same field named
    // whichever way they came.
    void malformedCommandsNameTheSameField_data() {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QJsonObject>("event");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("field");

        QTest::newRow("error rate above 1") << "gateway-fault" << json(R"({"error_rate":1.5})")
                                            << json(R"({"do":"gateway.fault","error_rate":1.5})") << "--fault"
                                            << "error=1.5"
                                            << "error_rate";
        QTest::newRow("latency below 0") << "gateway-fault" << json(R"({"latency_ms":-1})")
                                         << json(R"({"do":"gateway.fault","latency_ms":-1})") << "--fault"
                                         << "latency=-1"
                                         << "latency_ms";
        QTest::newRow("down is not a boolean") << "gateway-fault" << json(R"({"down":"yes"})")
                                               << json(R"({"do":"gateway.fault","down":"yes"})") << ""
                                               << ""
                                               << "down";
        QTest::newRow("an unknown key") << "gateway-fault" << json(R"({"eror_rate":0.5})")
                                        << json(R"({"do":"gateway.fault","eror_rate":0.5})") << ""
                                        << ""
                                        << "eror_rate";
        QTest::newRow("infra fault without a region")
            << "infra-fault" << json(R"({"error_rate":0.1})")
            << json(R"({"do":"infra.fault","error_rate":0.1})") << "--infra-fault"
            << "error=0.1"
            << "";
        QTest::newRow("p99 is a whole number")
            << "infra-fault" << json(R"({"region":"us-east-1","p99_ms":1.5})")
            << json(R"({"do":"infra.fault","region":"us-east-1","p99_ms":1.5})") << "--infra-fault"
            << "region=us-east-1,p99=1.5"
            << "p99_ms";
        QTest::newRow("silence without a duration")
            << "alerts/silence" << json("{\"alert\":\"fraud_rate/*\"}")
            << json("{\"do\":\"operator\",\"command\":\"silence_alert\",\"alert\":\"fraud_rate/*\"}") << ""
            << ""
            << "";
        QTest::newRow("rollback without a region")
            << "deployments/d-1/rollback" << json(R"({})")
            << json(R"({"do":"operator","command":"rollback","deployment":"d-1"})") << ""
            << ""
            << "";
        QTest::newRow("undo to revision 0")
            << "services/api-service/undo" << json(R"({"to_revision":0})")
            << json(R"({"do":"operator","command":"undo","service":"api-service","to_revision":0})") << ""
            << ""
            << "to_revision";
        QTest::newRow("a burst of 0 per second")
            << "burst" << json(R"({"payments_per_s":0,"seconds":10})")
            << json(R"({"do":"operator","command":"start_burst","payments_per_s":0,"seconds":10})") << ""
            << ""
            << "payments_per_s";
    }

    void malformedCommandsNameTheSameField() {
        QFETCH(QString, route);
        QFETCH(QJsonObject, body);
        QFETCH(QJsonObject, event);
        QFETCH(QString, option);
        QFETCH(QString, spec);
        QFETCH(QString, field);
        const QString expected = field.isEmpty() ? QStringLiteral("missing '") : field + QStringLiteral(": ");

        const QString http = failure(fromHttp(route, body));
        QVERIFY2(http.startsWith(expected), qPrintable(http));
        const QString scenario = failure(fromScenario(event));
        QVERIFY2(scenario.contains(expected), qPrintable(scenario));
        if (!option.isEmpty()) {
            const QString cli = failure(parseCommandSpec(option, spec));
            QVERIFY2(cli.startsWith(option + QStringLiteral(": ") + expected), qPrintable(cli));
        }
    }

    // Commands that parse but that the engine refuses: the same code from every entry point, the
    // status the code gives, and an audit row that carries the refusal.
    void refusalsHaveOneCodeAndStatus_data() {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QJsonObject>("event");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("status");

        QTest::newRow("unknown breaker")
            << "breakers/nope/force-open" << json(R"({})")
            << json(R"({"do":"operator","command":"force_open","breaker":"nope"})") << ""
            << "" << static_cast<int>(RefusalCode::NotFound) << 404;
        QTest::newRow("unknown deployment")
            << "deployments/d-99/pause" << json(R"({})")
            << json(R"({"do":"operator","command":"pause","deployment":"d-99"})") << ""
            << "" << static_cast<int>(RefusalCode::NotFound) << 404;
        QTest::newRow("unknown alert")
            << "alerts/ack" << json(R"({"alert":"fraud_rate/payments"})")
            << json(R"({"do":"operator","command":"ack_alert","alert":"fraud_rate/payments"})") << ""
            << "" << static_cast<int>(RefusalCode::NotFound) << 404;
        QTest::newRow("undo of a service without revisions")
            << "services/api-service/undo" << json(R"({})")
            << json(R"({"do":"operator","command":"undo","service":"api-service"})") << ""
            << "" << static_cast<int>(RefusalCode::NotFound) << 404;
        QTest::newRow("unknown region")
            << "infra-fault" << json(R"({"region":"mars","error_rate":0.1})")
            << json(R"({"do":"infra.fault","region":"mars","error_rate":0.1})") << "--infra-fault"
            << "region=mars,error=0.1" << static_cast<int>(RefusalCode::NotFound) << 404;
    }

    void refusalsHaveOneCodeAndStatus() {
        QFETCH(QString, route);
        QFETCH(QJsonObject, body);
        QFETCH(QJsonObject, event);
        QFETCH(QString, option);
        QFETCH(QString, spec);
        QFETCH(int, code);
        QFETCH(int, status);
        EngineRig rig;
        std::vector<EngineCommand> commands{std::get<EngineCommand>(fromHttp(route, body)),
                                            std::get<EngineCommand>(fromScenario(event))};
        if (!option.isEmpty()) {
            commands.push_back(std::get<EngineCommand>(parseCommandSpec(option, spec)));
        }
        for (const EngineCommand& command : commands) {
            const CommandResult result = rig.run(command);
            QVERIFY(!result.ok());
            QCOMPARE(static_cast<int>(result.refusal->code), code);
            QCOMPARE(httpStatus(result.refusal->code), status);
            QCOMPARE(HttpReply::refusal(*result.refusal).status, status);
        }
        // And the router itself answers with that status.
        ApiRouter router(*rig.engine, QStringLiteral("t0ken"));
        ApiRequest request;
        request.method = "POST";
        request.path = QStringLiteral("/v1/control/") + route;
        request.headers.insert("host", "127.0.0.1");
        request.headers.insert("authorization", "Bearer t0ken");
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        std::promise<HttpReply> answered;
        router.handle(request, [&answered](HttpReply reply) { answered.set_value(std::move(reply)); });
        auto reply = answered.get_future();
        QCOMPARE(reply.wait_for(5s), std::future_status::ready);
        const HttpReply http = reply.get();
        QCOMPARE(http.status, status);
        QCOMPARE(QJsonDocument::fromJson(http.body).object().value(QStringLiteral("code")).toString(),
                 toString(static_cast<RefusalCode>(code)));
        // Every attempt is in the audit trail, as refused, with its code (the router's one too).
        const auto rows = rig.operatorRows();
        QCOMPARE(rows.size(), commands.size() + 1);
        for (const AuditRecord& row : rows) {
            const QJsonObject payload = QJsonDocument::fromJson(row.row.payload).object();
            QCOMPARE(payload.value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
            QCOMPARE(payload.value(QStringLiteral("code")).toString(),
                     toString(static_cast<RefusalCode>(code)));
            QVERIFY(!payload.value(QStringLiteral("error")).toString().isEmpty());
        }
    }

    void appliedCommandsAreAuditedWithoutARefusal() {
        EngineRig rig;
        QVERIFY(
            rig.run(ControlBreaker{QStringLiteral("payment-gateway"), BreakerControl::ForceOpen, kAna}).ok());
        const auto rows = rig.operatorRows();
        QCOMPARE(rows.size(), std::size_t{1});
        const QJsonObject payload = QJsonDocument::fromJson(rows.front().row.payload).object();
        QCOMPARE(payload.value(QStringLiteral("command")).toString(), QStringLiteral("force_open"));
        QCOMPARE(payload.value(QStringLiteral("actor")).toString(), QStringLiteral("ana"));
        QVERIFY(!payload.contains(QStringLiteral("outcome")));
    }

    void aRefusedCommandIsOnTheTimelineAsRefused() {
        EngineRig rig;
        QVERIFY(!rig.run(ControlRollout{QStringLiteral("d-404"), RolloutControl::Abort, {}, kAna}).ok());
        rig.engine->invoke([&rig] { rig.clock.advanceBy(200ms); }).waitForFinished();
        const SnapshotPtr s = rig.engine->latestSnapshot();
        const auto refused = std::find_if(s->timeline.begin(), s->timeline.end(),
                                          [](const TimelineEvent& e) { return e.refused; });
        QVERIFY(refused != s->timeline.end());
        QCOMPARE(refused->kind, QStringLiteral("operator"));
        QCOMPARE(refused->subject, QStringLiteral("d-404"));
        QVERIFY2(refused->text.contains(QStringLiteral("REFUSED (not_found)")), qPrintable(refused->text));
        QVERIFY2(refused->text.contains(QStringLiteral("unknown deployment 'd-404'")),
                 qPrintable(refused->text));
    }
};

QTEST_GUILESS_MAIN(TestCommandLanguage)
#include "tst_command_language.moc"
