// Training scenarios (DESIGN.md §9.4, §9.5, §12): every built-in runs deterministically, tells the
// story it promises, and a recorded session replays to the same audit digest.
#include "audit/audit_store.h"
#include "engine/engine.h"
#include "scenario/scenario_commands.h"
#include "scenario/scenario_session.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace tai;

namespace {

Scenario builtin(const QString& name) {
    const LoadedScenario loaded = loadScenario(name);
    if (!loaded.scenario) {
        qFatal("%s", qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    }
    return *loaded.scenario;
}

QJsonObject sourceOf(const QString& name) {
    return loadScenario(name).source;
}

QJsonObject run(const QString& name, std::optional<std::uint64_t> seed = std::nullopt,
                EngineConfig base = {}) {
    ScenarioSession session(builtin(name), sourceOf(name), std::move(base), seed);
    QString error;
    if (!session.start(&error)) {
        qFatal("cannot start: %s", qPrintable(error));
    }
    return session.runToEnd();
}

// Each built-in's report with its own seed, run once and shared by the story tests.
QJsonObject report(const QString& name) {
    static std::map<QString, QJsonObject> reports;
    auto it = reports.find(name);
    if (it == reports.end()) {
        it = reports.emplace(name, run(name)).first;
    }
    return it->second;
}

QByteArray bytes(const QJsonObject& report) {
    return QJsonDocument(report).toJson(QJsonDocument::Indented);
}

// The report's events of one kind, optionally only those whose `key` is `value`.
std::vector<QJsonObject> events(const QJsonObject& report, const QString& kind, const QString& key = {},
                                const QString& value = {}) {
    std::vector<QJsonObject> found;
    for (const QJsonValue& v : report.value(QStringLiteral("events")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("kind")).toString() == kind &&
            (key.isEmpty() || e.value(key).toString() == value)) {
            found.push_back(e);
        }
    }
    return found;
}

double atS(const QJsonObject& event) {
    return event.value(QStringLiteral("at_s")).toDouble();
}

qint64 count(const QJsonObject& report, const char* outcome) {
    return report.value(QStringLiteral("counts")).toObject().value(QLatin1String(outcome)).toInteger();
}

QJsonObject objective(const QJsonObject& report, const QString& kind) {
    for (const QJsonValue& v : report.value(QStringLiteral("objectives")).toArray()) {
        if (v.toObject().value(QStringLiteral("kind")).toString() == kind) {
            return v.toObject();
        }
    }
    return {};
}

}  // namespace

class TestScenarios : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theListMatchesTheResources() {
        QStringList files = QDir(QStringLiteral(":/scenarios")).entryList({QStringLiteral("*.json")});
        for (QString& f : files) {
            f.chop(5);
        }
        QStringList names = builtinScenarioNames();
        QCOMPARE(names.size(), 8);
        names.sort();
        files.sort();
        QCOMPARE(files, names);
        for (const QString& name : builtinScenarioNames()) {
            const Scenario s = builtin(name);
            QCOMPARE(s.name, name);
            QVERIFY2(!s.title.isEmpty() && s.description.size() > 80, qPrintable(name));  // a real briefing
            QVERIFY2(!s.objectives.empty(), qPrintable(name));
        }
    }

    void aMalformedFileNeverStarts() {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(
            "{ \"name\": \"x\", \"duration_s\": 60,\n  \"events\": [ { \"at_s\": 5, \"do\": \"explode\" } ] "
            "}");
        file.close();
        const LoadedScenario loaded = loadScenario(file.fileName());
        QVERIFY(!loaded.scenario);
        QCOMPARE(loaded.errors.size(), 1);
        QVERIFY2(
            loaded.errors.front().contains(QStringLiteral("line 2, column 34: events[0].do: unknown action")),
            qPrintable(loaded.errors.front()));
        const LoadedScenario missing = loadScenario(QStringLiteral("no-such-scenario"));
        QVERIFY(!missing.scenario);
        QVERIFY(missing.errors.front().contains(QStringLiteral("built-in: steady-state")));
    }

    void sameSeedSameReportDifferentSeedDifferentDigest_data() {
        QTest::addColumn<QString>("name");
        for (const QString& name : builtinScenarioNames()) {
            QTest::newRow(qPrintable(name)) << name;
        }
    }
    void sameSeedSameReportDifferentSeedDifferentDigest() {
        QFETCH(QString, name);
        const QJsonObject first = report(name);
        const QJsonObject second = run(name);
        QCOMPARE(bytes(second), bytes(first));
        const QString digest = first.value(QStringLiteral("audit_digest")).toString();
        QVERIFY2(digest.startsWith(QStringLiteral("sha256:")) && digest.size() == 7 + 64, qPrintable(digest));
        const QJsonObject other = run(name, builtin(name).seed + 1);
        QVERIFY(other.value(QStringLiteral("audit_digest")).toString() != digest);
        QCOMPARE(other.value(QStringLiteral("seed")).toInteger(),
                 static_cast<qint64>(builtin(name).seed + 1));
        // The §9.5 shape.
        for (const char* key :
             {"scenario", "seed", "duration_s", "audit_digest", "counts", "events", "objectives", "kpis"}) {
            QVERIFY2(first.contains(QLatin1String(key)), key);
        }
        for (const char* key : {"success_rate", "p99_ms", "rollbacks", "mttr_s"}) {
            QVERIFY2(first.value(QStringLiteral("kpis")).toObject().contains(QLatin1String(key)), key);
        }
        double last = -1;
        for (const QJsonValue& e : first.value(QStringLiteral("events")).toArray()) {
            QVERIFY2(atS(e.toObject()) >= last, "events are in time order");
            last = atS(e.toObject());
        }
    }

    void theAuditDigestIsTheSameWithARealSqliteTrail() {
        EngineConfig withStore;
        withStore.auditDatabase = QString();  // in-memory SQLite, as `scenario run` uses
        ScenarioSession session(builtin(QStringLiteral("bad-canary")), sourceOf(QStringLiteral("bad-canary")),
                                withStore);
        QVERIFY(session.start(nullptr));
        const QJsonObject withSqlite = session.runToEnd();
        QCOMPARE(withSqlite.value(QStringLiteral("audit_digest")),
                 report(QStringLiteral("bad-canary")).value("audit_digest"));
        session.engine().flushAudit().waitForFinished();
        AuditQuery query;
        query.kinds = {QStringLiteral("rollback")};
        auto page = session.engine().queryAudit(query);
        page.waitForFinished();
        const auto rows = page.result().records;
        QCOMPARE(rows.size(), std::size_t{1});
        QCOMPARE(rows.front().row.subject, QStringLiteral("d-1"));
    }

    void steadyStateIsCalm() {
        const QJsonObject r = report(QStringLiteral("steady-state"));
        QVERIFY(events(r, QStringLiteral("breaker_transition")).empty());
        QVERIFY(events(r, QStringLiteral("alert")).empty());
        QCOMPARE(count(r, "charged") + count(r, "rejected"), qint64{60'000});  // 200/s × 300 s, all decided
        QCOMPARE(r.value("kpis").toObject().value("lost_payments").toInteger(), qint64{0});
        QVERIFY(objective(r, QStringLiteral("max_lost_payments")).value("met").toBool());
    }

    void gatewayOutageOpensProbesWithBackoffAndCloses() {
        const QJsonObject r = report(QStringLiteral("gateway-outage"));
        const auto transitions = events(r, QStringLiteral("breaker_transition"), QStringLiteral("breaker"),
                                        QStringLiteral("payment-gateway"));
        QVERIFY(transitions.size() >= 7);
        // Opens within 5 s of the fault at 60 s.
        QCOMPARE(transitions[0].value("to").toString(), QStringLiteral("open"));
        QVERIFY2(atS(transitions[0]) >= 60 && atS(transitions[0]) <= 65,
                 qPrintable(QString::number(atS(transitions[0]))));
        // Probes after 30, 60 and 120 s, each failing while the gateway is down.
        const double backoff[] = {30, 60, 120};
        double openedAt = atS(transitions[0]);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject& halfOpen = transitions[1 + 2 * i];
            QCOMPARE(halfOpen.value("to").toString(), QStringLiteral("half_open"));
            QCOMPARE(atS(halfOpen) - openedAt, backoff[i]);
            const QJsonObject& after = transitions[2 + 2 * i];
            if (i < 2) {
                QCOMPARE(after.value("to").toString(), QStringLiteral("open"));
                QCOMPARE(after.value("reason").toString(), QStringLiteral("probe failed"));
                openedAt = atS(after);
            } else {  // the gateway came back at 240 s: the third round closes it
                QVERIFY(atS(halfOpen) > 240);
                QCOMPARE(after.value("to").toString(), QStringLiteral("closed"));
            }
        }
        QCOMPARE(
            events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("breaker_open")).size(),
            std::size_t{2});  // firing, then resolved
        // The customer's retries of order-1001: charged once, the later retry a duplicate.
        QVERIFY(objective(r, QStringLiteral("no_double_charge")).value("met").toBool());
        QCOMPARE(count(r, "duplicate"), qint64{1});
        QVERIFY(count(r, "circuit_open") > 9000);
        QVERIFY(!objective(r, QStringLiteral("ack_alert")).value("met").toBool());  // nobody acknowledged
    }

    void flappingGatewayReopensAndBacksOff() {
        const QJsonObject r = report(QStringLiteral("flapping-gateway"));
        const auto transitions = events(r, QStringLiteral("breaker_transition"), QStringLiteral("breaker"),
                                        QStringLiteral("payment-gateway"));
        int trips = 0;
        int failedProbes = 0;
        for (const QJsonObject& t : transitions) {
            trips += t.value("from").toString() == u"closed" && t.value("to").toString() == u"open";
            failedProbes += t.value("reason").toString() == u"probe failed";
        }
        QVERIFY2(trips >= 2, "it flaps: closes and trips again");
        QVERIFY(failedProbes >= 1);
        // After a failed probe round the next wait is double the last one.
        std::vector<int> waits;
        for (const QJsonObject& t : transitions) {
            const QString reason = t.value("reason").toString();
            if (reason.startsWith(QStringLiteral("recovery timeout "))) {
                waits.push_back(reason.section(QLatin1Char(' '), 2, 2).chopped(1).toInt());
            }
        }
        // The second outage (45 s) outlasts the first probe: 30 s, then double.
        QVERIFY(waits.size() >= 3);
        QCOMPARE(waits[0], 30);
        QCOMPARE(waits[1], 30);  // a close resets the backoff
        QCOMPARE(waits[2], 60);
        QCOMPARE(transitions.back().value("to").toString(), QStringLiteral("closed"));
        QVERIFY(atS(transitions.back()) > 300);  // the failures stopped at 300 s
        QVERIFY(trips >= 3);
    }

    void fraudBurstIsRejectedAndAlerted() {
        const QJsonObject r = report(QStringLiteral("fraud-burst"));
        const auto fraud =
            events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("fraud_rate"));
        QCOMPARE(fraud.size(), std::size_t{2});
        QCOMPARE(fraud[0].value("state").toString(), QStringLiteral("firing"));
        QVERIFY(atS(fraud[0]) >= 90 && atS(fraud[0]) <= 100);  // 30 s `for` after the burst began at 60 s
        QCOMPARE(fraud[1].value("state").toString(), QStringLiteral("resolved"));
        QVERIFY(atS(fraud[1]) > 180);
        // 30 % of 12 000 payments in the burst, 1 % of the rest.
        QVERIFY(count(r, "rejected") > 3500);
        QCOMPARE(r.value("kpis").toObject().value("lost_payments").toInteger(), qint64{0});
        QVERIFY(events(r, QStringLiteral("breaker_transition")).empty());
    }

    void trafficSpikeIsLeveledAndShed() {
        const QJsonObject r = report(QStringLiteral("traffic-spike"));
        // Heijunka: at most the gateway's 2000/s (plus its burst of 200 and the queue draining
        // after the spike) is charged during the minute of 3000/s.
        const qint64 charged = count(r, "charged");
        QVERIFY2(charged <= 300 * 180 + 2000 * 60 + 200 + 4096, qPrintable(QString::number(charged)));
        // Kanban: the admission queue (4096) sheds the excess instead of growing.
        QVERIFY2(count(r, "queue_full") > 40'000, qPrintable(QString::number(count(r, "queue_full"))));
        QVERIFY(!events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("success_rate"))
                     .empty());
        QVERIFY(events(r, QStringLiteral("breaker_transition")).empty());       // shedding is not a failure
        QVERIFY(r.value("kpis").toObject().value("p99_ms").toDouble() > 1000);  // queued up to ~2 s
    }

    void badCanaryRollsBackWithinOneHealthInterval() {
        const QJsonObject r = report(QStringLiteral("bad-canary"));
        const auto east =
            events(r, QStringLiteral("rollout_stage"), QStringLiteral("region"), QStringLiteral("us-east-1"));
        QVERIFY(east.size() >= 2);
        QCOMPARE(east[0].value("stage").toString(), QStringLiteral("canary"));
        const auto rollbacks = events(r, QStringLiteral("rollback"));
        QCOMPARE(rollbacks.size(), std::size_t{1});
        QCOMPARE(rollbacks[0].value("region").toString(), QStringLiteral("us-east-1"));
        QVERIFY(atS(rollbacks[0]) - atS(east[0]) <= 10);  // health_interval_s
        QVERIFY(rollbacks[0].value("reason").toString().contains(QStringLiteral("error rate")));
        for (const QJsonObject& e : events(r, QStringLiteral("rollout_stage"), QStringLiteral("region"),
                                           QStringLiteral("eu-west-1"))) {
            QCOMPARE(e.value("stage").toString(), QStringLiteral("cancelled"));  // never started
        }
        QVERIFY(
            !events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("rollback_triggered"))
                 .empty());
        QVERIFY(objective(r, QStringLiteral("rollback")).value("met").toBool());
        QCOMPARE(r.value("kpis").toObject().value("rollbacks").toInteger(), qint64{1});
    }

    void marginalCanaryLeavesTheCallToTheOperator() {
        const QJsonObject r = report(QStringLiteral("marginal-canary"));
        QVERIFY(events(r, QStringLiteral("rollback")).empty());
        const auto marginal =
            events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("health_marginal"));
        QVERIFY(!marginal.empty());
        QCOMPARE(marginal[0].value("severity").toString(), QStringLiteral("HIGH"));
        QCOMPARE(atS(marginal[0]), 40.0);  // the first health sample after the canary at 30 s
        // Nobody decided, so the canary was promoted on schedule.
        const auto staging =
            events(r, QStringLiteral("rollout_stage"), QStringLiteral("stage"), QStringLiteral("staging"));
        QCOMPARE(staging.size(), std::size_t{1});
        QCOMPARE(atS(staging[0]), 330.0);
        QVERIFY(!objective(r, QStringLiteral("rollback")).value("met").toBool());
    }

    void regionalHaltStopsTheSequence() {
        const QJsonObject r = report(QStringLiteral("regional-halt"));
        const auto failed =
            events(r, QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("deployment_failed"));
        QVERIFY(!failed.empty());
        QCOMPARE(atS(failed[0]), 30.0);
        const auto rollbacks = events(r, QStringLiteral("rollback"));
        QCOMPARE(rollbacks.size(), std::size_t{1});
        QCOMPARE(rollbacks[0].value("region").toString(), QStringLiteral("eu-west-1"));
        for (const QJsonObject& e : events(r, QStringLiteral("rollout_stage"), QStringLiteral("region"),
                                           QStringLiteral("us-east-1"))) {
            QCOMPARE(e.value("stage").toString(), QStringLiteral("cancelled"));
        }
        QVERIFY(!objective(r, QStringLiteral("command")).value("met").toBool());  // nobody retried
    }

    void aRecordedSessionReplaysToTheSameDigest() {
        const QString name = QStringLiteral("gateway-outage");
        ScenarioSession live(builtin(name), sourceOf(name), EngineConfig{});
        QVERIFY(live.start(nullptr));
        // The trainee acknowledges the alert, forces the breaker half-open once the gateway is
        // back, and pays by hand: each between two clock advances, as in the console.
        live.runUntil(70.5);
        CommandOrigin trainee{QStringLiteral("trainee"), QStringLiteral("on it")};
        QVERIFY(live.engine()
                    .execute(ControlAlert{QStringLiteral("breaker_open/payment-gateway"),
                                          ControlAlert::Action::Acknowledge, 0, trainee})
                    .result()
                    .ok());
        live.runUntil(241.25);
        QVERIFY(live.engine()
                    .execute(ControlBreaker{QStringLiteral("payment-gateway"), BreakerControl::ForceHalfOpen,
                                            trainee})
                    .result()
                    .ok());
        live.runUntil(250);
        // The answer comes once virtual time has passed the gateway's latency.
        QFuture<PaymentResponse> paid = live.engine().submitPayment(
            R"({"customer_id":"cust_hand","merchant_id":"m1","amount":"12.34","currency":"EUR"})");
        const QJsonObject liveReport = live.runToEnd();
        QCOMPARE(toString(paid.result().outcome), QStringLiteral("charged"));
        QVERIFY(objective(liveReport, QStringLiteral("ack_alert")).value("met").toBool());
        QCOMPARE(objective(liveReport, QStringLiteral("force_half_open")).value("after_s").toDouble(), 1.25);
        QVERIFY(objective(liveReport, QStringLiteral("force_half_open")).value("met").toBool());
        QVERIFY(liveReport.value("audit_digest") !=
                report(name).value("audit_digest"));  // the trainee changed things

        const QByteArray saved = live.sessionFile();
        auto parsed = parseScenario(saved);
        QVERIFY2(std::holds_alternative<Scenario>(parsed), saved.constData());
        const Scenario replayScenario = std::get<Scenario>(parsed);
        QCOMPARE(replayScenario.events.size(), builtin(name).events.size() + 3);
        ScenarioSession replay(replayScenario, QJsonDocument::fromJson(saved).object(), EngineConfig{});
        QVERIFY(replay.start(nullptr));
        const QJsonObject replayReport = replay.runToEnd();
        QCOMPARE(replayReport.value("audit_digest").toString(), liveReport.value("audit_digest").toString());
        QCOMPARE(bytes(replayReport), bytes(liveReport));
    }

    void aRecordedDeployKeepsOnlyItsFieldsAndLoadsAgain() {
        // A deploy from the console or the API may carry keys the engine ignores; the saved
        // session must still be a valid scenario file.
        const QJsonObject body{
            {"service", "api-service"}, {"version", "v2.0.0"},     {"regions", QJsonArray{"us-east-1"}},
            {"initial", true},          {"note", "from a script"}, {"timestamp", "2026-01-01T00:00:00Z"}};
        QJsonObject event = eventFor(RequestDeployment{body, {QStringLiteral("trainee"), {}}});
        QCOMPARE(event.value("do").toString(), QStringLiteral("deploy"));
        QVERIFY(event.value("initial").toBool());
        QVERIFY(!event.contains("note") && !event.contains("timestamp"));
        event.insert("at_s", 12.5);
        const QJsonObject file{{"name", "x"},
                               {"duration_s", 60},
                               {"regions", QJsonArray{"us-east-1"}},
                               {"events", QJsonArray{event}}};
        const auto parsed = parseScenario(QJsonDocument(file).toJson());
        if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
            QFAIL(qPrintable(errors->front().text()));
        }
        QCOMPARE(std::get<Scenario>(parsed).events.front().params.value("initial").toBool(), true);
    }

    void aCommandTheFormatCannotSayIsLeftOutAndNamed() {
        const QString name = QStringLiteral("bad-canary");
        ScenarioSession live(builtin(name), sourceOf(name), EngineConfig{});
        QVERIFY(live.start(nullptr));
        live.runUntil(10);
        // The engine refuses a rollback of an unnamed deployment, and still audits the attempt.
        QVERIFY(!live.engine()
                     .execute(ControlRollout{QString(),
                                             RolloutControl::Rollback,
                                             QStringLiteral("us-east-1"),
                                             {QStringLiteral("trainee"), {}}})
                     .result()
                     .ok());
        QVERIFY(live.engine()
                    .execute(ControlBreaker{QStringLiteral("payment-gateway"),
                                            BreakerControl::ForceHalfOpen,
                                            {QStringLiteral("trainee"), {}}})
                    .result()
                    .ok());
        live.runToEnd();
        const QByteArray saved = live.sessionFile();
        const auto parsed = parseScenario(saved);
        if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
            QFAIL(qPrintable(errors->front().text()));
        }
        QCOMPARE(std::get<Scenario>(parsed).events.size(), builtin(name).events.size() + 1);  // the half-open
        QVERIFY2(std::get<Scenario>(parsed).description.contains(QStringLiteral(
                     "Left out, as the file format cannot say them: rollback at 10 s (must be a "
                     "non-empty string)")),
                 saved.constData());
    }

    void speedControlPausesStepsAndRuns() {
        const QString name = QStringLiteral("bad-canary");
        ScenarioSession session(builtin(name), sourceOf(name), EngineConfig{});
        QSignalSpy advanced(&session, &ScenarioSession::advanced);
        QSignalSpy finished(&session, &ScenarioSession::finished);
        QVERIFY(session.start(nullptr));
        session.pause();
        session.stepSeconds(1);
        QVERIFY(advanced.wait());
        QCOMPARE(session.elapsedS(), 1.0);
        QCOMPARE(session.nextEventS().value_or(-1), 30.0);  // the deploy
        session.stepEvent();
        QVERIFY(advanced.wait());
        QCOMPARE(session.elapsedS(), 30.0);
        QVERIFY(session.paused());
        session.setSpeed(ScenarioSession::kMaxSpeed);
        QVERIFY(!session.paused());
        QVERIFY(finished.wait(30'000));
        QVERIFY(session.isFinished());
        QCOMPARE(session.elapsedS(), 300.0);
        const QJsonObject report = finished.front().front().toJsonObject();
        QCOMPARE(report.value("audit_digest"),
                 ::report(name).value("audit_digest"));  // stepping changes nothing
    }
};

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
