// Every command is audited with its outcome (DESIGN.md §5.5, §7): a refused one says refused, with
// its code, the field at fault and why, and changes nothing; the rows of what a command caused
// come after the command's own row.
#include "base/virtual_clock.h"
#include "engine/command_parser.h"
#include "engine/engine.h"
#include "engine/engine_observer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <mutex>

using namespace tai;
using namespace std::chrono_literals;

namespace {
// The audit rows as the engine writes them, in order (engine thread in, test thread out).
class AuditRows final : public EngineObserver {
public:
    void auditRow(const AuditRow& row) override {
        std::lock_guard lock(mutex_);
        rows_.push_back(row);
    }
    void decision(const PaymentSignal&, const PaymentResponse&, TimePoint) override {}
    void breakerTransition(const BreakerTransition& t) override {
        log(QStringLiteral("breaker %1 %2").arg(t.breaker, toString(t.to)));
    }
    void rolloutEvent(const RolloutReportEvent& e) override {
        log(e.kind == u"rollback" ? QStringLiteral("rollback %1").arg(e.region)
                                  : QStringLiteral("stage %1 %2").arg(e.region, e.stage));
    }
    void alertTransition(const AlertTransition& t, TimePoint) override {
        log(QStringLiteral("alert %1 %2")
                .arg(t.alert.rule, t.kind == AlertTransition::Kind::Firing ? "firing" : "resolved"));
    }
    void command(const EngineCommand& c, const CommandResult&, TimePoint) override {
        log(QStringLiteral("command ") +
            commandJson(c).value("command").toString(commandJson(c)["do"].toString()));
    }
    void submitted(const QByteArray&, TimePoint) override {}

    std::vector<AuditRow> rows() const {
        std::lock_guard lock(mutex_);
        return rows_;
    }
    // What the scenario report is built from, in the order it came (DESIGN.md §9.5).
    QStringList reported() const {
        std::lock_guard lock(mutex_);
        return reported_;
    }

private:
    void log(const QString& line) {
        std::lock_guard lock(mutex_);
        reported_ << line;
    }

    mutable std::mutex mutex_;
    std::vector<AuditRow> rows_;
    QStringList reported_;
};

template <typename T>
T resultOf(QFuture<T> future) {
    future.waitForFinished();
    return future.result();
}

EngineCommand parsed(const QByteArray& json) {
    const auto parse = parseCommand(QJsonDocument::fromJson(json).object());
    if (const auto* ok = std::get_if<ParsedCommand>(&parse)) {
        return ok->command;
    }
    qFatal("test command does not parse: %s", json.constData());
}

QJsonObject payloadOf(const AuditRow& row) {
    return QJsonDocument::fromJson(row.payload).object();
}
}  // namespace

class TestCommandAudit : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<VirtualClock> clock;
    std::shared_ptr<AuditRows> audit;
    std::unique_ptr<Engine> engine;

    void advance(Duration d) {
        engine->invoke([this, d] { clock->advanceBy(d); }).waitForFinished();
    }
    CommandResult run(const QByteArray& json) { return resultOf(engine->execute(parsed(json))); }

private Q_SLOTS:
    void init() {
        clock = std::make_unique<VirtualClock>(TimePoint{std::chrono::seconds(1'767'225'600)});
        audit = std::make_shared<AuditRows>();
        EngineConfig config;
        config.observer = audit;
        engine = std::make_unique<Engine>(config, *clock);
        QVERIFY(engine->start());
        QVERIFY(run(R"({"do":"deploy","service":"api-service","version":"v2.0.0","id":"d-1"})").ok());
        advance(20s);  // us-west-2 in canary
    }
    void cleanup() {
        engine.reset();
        audit.reset();
        clock.reset();
    }

    // `setup` runs first and is carried out; `refused` is then refused and audited as refused.
    void aRefusedCommandIsAuditedAsRefused_data() {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<QByteArray>("refused");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("error");
        QTest::newRow("pause twice")
            << QByteArray(R"({"do":"operator","command":"pause","deployment":"d-1"})")
            << QByteArray(R"({"do":"operator","command":"pause","deployment":"d-1"})") << "conflict"
            << ""
            << "the rollout is paused, not in progress";
        QTest::newRow("rollback of a pending region")
            << QByteArray()
            << QByteArray(R"({"do":"operator","command":"rollback","deployment":"d-1","region":"eu-west-1"})")
            << "conflict"
            << "region"
            << "eu-west-1 is pending; only the active or a completed region can be rolled back";
        QTest::newRow("abort twice")
            << QByteArray(R"({"do":"operator","command":"abort","deployment":"d-1"})")
            << QByteArray(R"({"do":"operator","command":"abort","deployment":"d-1"})") << "conflict"
            << ""
            << "the rollout is aborted";
        QTest::newRow("unknown breaker")
            << QByteArray()
            << QByteArray(R"({"do":"operator","command":"force_open","breaker":"deploy:mars-1"})")
            << "not_found"
            << "breaker"
            << "unknown breaker 'deploy:mars-1'";
        QTest::newRow("unknown deployment")
            << QByteArray() << QByteArray(R"({"do":"operator","command":"resume","deployment":"d-9"})")
            << "not_found"
            << "deployment"
            << "unknown deployment 'd-9'";
    }
    void aRefusedCommandIsAuditedAsRefused() {
        QFETCH(QByteArray, setup);
        QFETCH(QByteArray, refused);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(QString, error);
        if (!setup.isEmpty()) {
            QVERIFY(run(setup).ok());
            advance(1s);
        }
        const std::size_t before = audit->rows().size();
        const SnapshotPtr was = engine->latestSnapshot();
        const CommandResult result = run(refused);
        advance(1s);
        QVERIFY(!result.ok());
        QCOMPARE(toString(result.refusal->code), code);
        const std::vector<AuditRow> rows = audit->rows();
        QCOMPARE(rows.size(), before + 1);  // the command's own row and nothing else
        const AuditRow& row = rows.back();
        QCOMPARE(row.kind, QStringLiteral("operator"));
        const QJsonObject payload = payloadOf(row);
        QCOMPARE(payload.value("outcome").toString(), QStringLiteral("refused"));
        QCOMPARE(payload.value("code").toString(), code);
        QCOMPARE(payload.value("field").toString(), field);
        QCOMPARE(payload.value("error").toString(), error);
        // A refused command changed nothing.
        const SnapshotPtr now = engine->latestSnapshot();
        QCOMPARE(toString(now->rollouts.at(0).status), toString(was->rollouts.at(0).status));
        QCOMPARE(now->rollouts.at(0).regions.at(0).stage, was->rollouts.at(0).regions.at(0).stage);
    }

    // Issue 15 item 7: what a command causes is reported after the command, and a rollback
    // before what follows from it (the pending regions cancelled, the alert).
    void effectsComeAfterTheirCause_data() {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QStringList>("reported");
        QTest::newRow("abort") << QByteArray()
                               << QByteArray(R"({"do":"operator","command":"abort","deployment":"d-1"})")
                               << QStringList{"command abort", "rollback us-west-2",
                                              "stage us-west-2 rolled_back", "stage us-east-1 cancelled",
                                              "stage eu-west-1 cancelled"};
        QTest::newRow("rollback of the active region")
            << QByteArray()
            << QByteArray(R"({"do":"operator","command":"rollback","deployment":"d-1","region":"us-west-2"})")
            << QStringList{"command rollback", "rollback us-west-2", "stage us-west-2 rolled_back",
                           "stage us-east-1 cancelled", "stage eu-west-1 cancelled"};
        QTest::newRow("deploy blocked by an open breaker")
            << QByteArray(R"({"do":"operator","command":"force_open","breaker":"deploy:global"})")
            << QByteArray(R"({"do":"deploy","service":"web-frontend","version":"v2.0.0","id":"d-2"})")
            << QStringList{"command deploy",
                           "rollback us-west-2",
                           "stage us-west-2 rolled_back",
                           "stage us-east-1 cancelled",
                           "stage eu-west-1 cancelled",
                           "alert deployment_failed firing"};
    }
    void effectsComeAfterTheirCause() {
        QFETCH(QByteArray, setup);
        QFETCH(QByteArray, command);
        QFETCH(QStringList, reported);
        if (!setup.isEmpty()) {
            QVERIFY(run(setup).ok());
            advance(1s);  // and what it caused (the open breaker's alert)
        }
        const qsizetype before = audit->reported().size();
        QVERIFY(run(command).ok());
        advance(0s);
        QCOMPARE(audit->reported().mid(before).join(" / "), reported.join(" / "));
    }

    void anExecutedCommandIsAuditedWithoutAnOutcomeOfRefused() {
        const std::size_t before = audit->rows().size();
        QVERIFY(run(R"({"do":"operator","command":"pause","deployment":"d-1","reason":"look"})").ok());
        const std::vector<AuditRow> rows = audit->rows();
        QVERIFY(rows.size() > before);
        const QJsonObject payload = payloadOf(rows.at(before));
        QCOMPARE(rows.at(before).kind, QStringLiteral("operator"));
        QCOMPARE(payload.value("command").toString(), QStringLiteral("pause"));
        QCOMPARE(payload.value("reason").toString(), QStringLiteral("look"));
        QVERIFY(!payload.contains("outcome"));
    }
};

QTEST_GUILESS_MAIN(TestCommandAudit)
#include "tst_command_audit.moc"
