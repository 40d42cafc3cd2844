// The command line (DESIGN.md §10.1, issue 18) as parseCommandLine() reads it, with nothing
// started: each row is an argv and either what it sets or the error it gets.
#include "cli.h"

#include <QtTest>

#include <cmath>

using namespace tai::app;

namespace {

QString modeName(Mode mode) {
    switch (mode) {
        case Mode::Gui:
            return "gui";
        case Mode::Headless:
            return "headless";
        case Mode::Replay:
            return "replay";
        case Mode::AuditExport:
            return "audit-export";
        case Mode::AuditRecover:
            return "audit-recover";
        case Mode::Bench:
            return "bench";
        case Mode::ScenarioList:
            return "scenario-list";
        case Mode::ScenarioRun:
            return "scenario-run";
        case Mode::Help:
            return "help";
        case Mode::Version:
            return "version";
    }
    return "?";
}

QString number(double v) {
    return std::isinf(v) ? QString("max") : QString::number(v);
}

// Every field as text, so a row can name the few it is about.
QMap<QString, QString> fields(const CliOptions& o) {
    return {{"mode", modeName(o.mode)},
            {"dataDir", o.dataDir},
            {"ephemeral", o.ephemeral ? "true" : "false"},
            {"policyPath", o.policyPath},
            {"listen", o.listen},
            {"input", o.input},
            {"output", o.output},
            {"seed", QString::number(o.seed)},
            {"seedGiven", o.seedGiven ? "true" : "false"},
            {"loadPerSecond", QString::number(o.loadPerSecond)},
            {"retentionDays", QString::number(o.retentionDays)},
            {"httpIdleTimeoutSeconds", QString::number(o.httpIdleTimeoutSeconds)},
            {"format", o.format},
            {"kinds", o.kinds.join('|')},
            {"subject", o.subject},
            {"traceId", o.traceId},
            {"from", o.from},
            {"to", o.to},
            {"summaryEverySeconds", QString::number(o.summaryEverySeconds)},
            {"fault", o.fault ? QString("error=%1,down=%2").arg(o.fault->errorRate).arg(o.fault->down) : ""},
            {"infraFault", o.infraFault ? o.infraFault->region : ""},
            {"deploy", o.deploy},
            {"view", o.view},
            {"palette", o.palette},
            {"faultAfterSeconds", number(o.faultAfterSeconds)},
            {"screenshotPath", o.screenshotPath},
            {"screenshotAfterSeconds", number(o.screenshotAfterSeconds)},
            {"alertWebhook", o.alertWebhook},
            {"alertmanager", o.alertmanager},
            {"traceSampler", o.traceSampler},
            {"traceCapacity", QString::number(o.traceCapacity)},
            {"otlpFile", o.otlpFile},
            {"otlpEndpoint", o.otlpEndpoint},
            {"gatewayUrl", o.gatewayUrl},
            {"exitAfterFirstFrame", o.exitAfterFirstFrame ? "true" : "false"},
            {"scenario", o.scenario},
            {"speed", number(o.speed)},
            {"reportPath", o.reportPath},
            {"interactive", o.interactive ? "true" : "false"},
            {"benchSeconds", number(o.benchSeconds)},
            {"soakSeconds", number(o.soakSeconds)},
            {"json", o.json ? "true" : "false"}};
}

CliParse parse(QStringList args) {
    return parseCommandLine(QStringList{"tai-console"} + args);
}

}  // namespace

class TestCliParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsWhatTheReadmeLists_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expected");  // field=value
        QTest::newRow("no arguments: the console on its defaults")
            << QStringList{}
            << QStringList{"mode=gui",        "listen=127.0.0.1:8080", "loadPerSecond=200",    "seed=1",
                           "seedGiven=false", "palette=system",        "traceSampler=rate:50", "speed=-1"};
        QTest::newRow("headless with options")
            << QStringList{"--headless", "--load", "300", "--summary-every", "1", "--listen", "127.0.0.1:0"}
            << QStringList{"mode=headless", "loadPerSecond=300", "summaryEverySeconds=1",
                           "listen=127.0.0.1:0"};
        QTest::newRow("--opt=value") << QStringList{"--headless", "--load=300",
                                                    "--policy=:/policies/fast-rollout.json",
                                                    "--listen=[::1]:0"}
                                     << QStringList{"loadPerSecond=300",
                                                    "policyPath=:/policies/fast-rollout.json",
                                                    "listen=[::1]:0"};
        QTest::newRow("the last of a repeated option counts")
            << QStringList{"--seed", "3", "--seed", "9"} << QStringList{"seed=9", "seedGiven=true"};
        QTest::newRow("faults and a deploy")
            << QStringList{"--fault",  "error=0.3",         "--fault-after",
                           "30",       "--infra-fault",     "region=us-east-1,error=0.08",
                           "--deploy", "api-service:v2.0.0"}
            << QStringList{"fault=error=0.3,down=0", "faultAfterSeconds=30", "infraFault=us-east-1",
                           "deploy=api-service:v2.0.0"};
        QTest::newRow("durability and API")
            << QStringList{"--data-dir", "/tmp/d", "--retention-days", "7", "--http-idle-timeout=3"}
            << QStringList{"dataDir=/tmp/d", "retentionDays=7", "httpIdleTimeoutSeconds=3",
                           "ephemeral=false"};
        QTest::newRow("alerting and tracing") << QStringList{"--alert-webhook",
                                                             "http://127.0.0.1:9000/andon",
                                                             "--alertmanager=http://127.0.0.1:9093",
                                                             "--trace-sampler",
                                                             "probabilistic:0.5",
                                                             "--trace-capacity",
                                                             "0",
                                                             "--otlp-file",
                                                             "t.jsonl",
                                                             "--otlp-endpoint",
                                                             "http://127.0.0.1:4318/v1/traces"}
                                              << QStringList{"alertWebhook=http://127.0.0.1:9000/andon",
                                                             "alertmanager=http://127.0.0.1:9093",
                                                             "traceSampler=probabilistic:0.5",
                                                             "traceCapacity=0",
                                                             "otlpFile=t.jsonl",
                                                             "otlpEndpoint=http://127.0.0.1:4318/v1/traces"};
        QTest::newRow("a real gateway")
            << QStringList{"--headless", "--gateway-url", "http://127.0.0.1:9000/charge"}
            << QStringList{"gatewayUrl=http://127.0.0.1:9000/charge"};
        QTest::newRow("console options") << QStringList{"--view",  "andon",        "--palette",
                                                        "dark",    "--screenshot", "s.png",
                                                        "--after", "2.5",          "--exit-after-first-frame"}
                                         << QStringList{"mode=gui",
                                                        "view=andon",
                                                        "palette=dark",
                                                        "screenshotPath=s.png",
                                                        "screenshotAfterSeconds=2.5",
                                                        "exitAfterFirstFrame=true"};
        QTest::newRow("console scenario") << QStringList{"--scenario", "gateway-outage", "--speed", "max"}
                                          << QStringList{"mode=gui", "scenario=gateway-outage", "speed=max"};
        QTest::newRow("replay") << QStringList{"replay",   "--input", "in.jsonl", "--output", "out.jsonl",
                                               "--policy", "p.json",  "--seed",   "5",        "--ephemeral"}
                                << QStringList{"mode=replay",       "input=in.jsonl", "output=out.jsonl",
                                               "policyPath=p.json", "seed=5",         "ephemeral=true"};
        QTest::newRow("audit export") << QStringList{"audit",
                                                     "export",
                                                     "--data-dir",
                                                     "D",
                                                     "--output",
                                                     "a.csv",
                                                     "--format",
                                                     "csv",
                                                     "--kind",
                                                     "operator,breaker_transition",
                                                     "--kind=decision",
                                                     "--subject",
                                                     "payment-gateway",
                                                     "--trace",
                                                     "0af7",
                                                     "--from",
                                                     "2026-11-26T00:00:00Z",
                                                     "--to=2026-11-27T00:00:00Z"}
                                      << QStringList{"mode=audit-export",
                                                     "dataDir=D",
                                                     "output=a.csv",
                                                     "format=csv",
                                                     "kinds=operator|breaker_transition|decision",
                                                     "subject=payment-gateway",
                                                     "traceId=0af7",
                                                     "from=2026-11-26T00:00:00Z",
                                                     "to=2026-11-27T00:00:00Z"};
        QTest::newRow("audit recover") << QStringList{"audit", "recover", "--data-dir", "D"}
                                       << QStringList{"mode=audit-recover", "dataDir=D"};
        QTest::newRow("audit recover, data dir first") << QStringList{"--data-dir=D", "audit", "recover"}
                                                       << QStringList{"mode=audit-recover", "dataDir=D"};
        QTest::newRow("--recover-audit") << QStringList{"--recover-audit", "--data-dir", "D"}
                                         << QStringList{"mode=audit-recover", "dataDir=D"};
        QTest::newRow("bench") << QStringList{"bench", "--seconds", "1", "--soak-seconds=2", "--json"}
                               << QStringList{"mode=bench", "benchSeconds=1", "soakSeconds=2", "json=true",
                                              "ephemeral=true"};
        QTest::newRow("scenario list")
            << QStringList{"scenario", "list"} << QStringList{"mode=scenario-list"};
        QTest::newRow("scenario run")
            << QStringList{"scenario", "run",    "bad-canary", "--speed", "10",
                           "--report", "r.json", "--seed",     "19",      "--interactive"}
            << QStringList{
                   "mode=scenario-run", "scenario=bad-canary", "speed=10",         "reportPath=r.json",
                   "seed=19",           "seedGiven=true",      "interactive=true", "ephemeral=true"};
        QTest::newRow("scenario run, options first")
            << QStringList{"scenario", "run", "--speed=max", "my-incident.json"}
            << QStringList{"mode=scenario-run", "scenario=my-incident.json", "speed=max"};
        QTest::newRow("help") << QStringList{"--help"} << QStringList{"mode=help"};
        QTest::newRow("-h after a command")
            << QStringList{"scenario", "run", "x", "-h"} << QStringList{"mode=help"};
        QTest::newRow("version") << QStringList{"--version"} << QStringList{"mode=version"};
    }
    void readsWhatTheReadmeLists() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expected);
        const CliParse parsed = parse(args);
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QVERIFY(parsed.error.isEmpty());
        const auto actual = fields(*parsed.options);
        for (const QString& pair : expected) {
            const QString key = pair.section('=', 0, 0);
            QVERIFY2(actual.contains(key), qPrintable(key));
            QCOMPARE(actual.value(key), pair.section('=', 1));
        }
    }

    void badUsageIsAnErrorThatNamesTheOption_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown option")
            << QStringList{"--frobnicate"} << "unknown option or command: --frobnicate";
        QTest::newRow("unknown command")
            << QStringList{"frobnicate"} << "unknown option or command: frobnicate";
        QTest::newRow("unknown option after a command")
            << QStringList{"bench", "--frobnicate"} << "unknown option or command: --frobnicate";
        QTest::newRow("value missing at the end") << QStringList{"--policy"} << "--policy needs a value";
        QTest::newRow("an option where the value goes")
            << QStringList{"--policy", "--seed", "1"} << "--policy needs a value";
        QTest::newRow("bad number") << QStringList{"--headless", "--load", "lots"}
                                    << "--load: 'lots' is not a valid number";
        QTest::newRow("negative number") << QStringList{"--load=-5"} << "--load: from 0 to 10000000";
        QTest::newRow("bad listen") << QStringList{"--headless", "--listen", "nonsense"}
                                    << "--listen: expected HOST:PORT with an IP address";
        QTest::newRow("port out of range")
            << QStringList{"--listen", "127.0.0.1:70000"} << "--listen: expected HOST:PORT";
        QTest::newRow("bad fault") << QStringList{"--fault", "error=2"} << "error";
        QTest::newRow("bad deploy") << QStringList{"--deploy", "api-service"}
                                    << "--deploy: expected SERVICE:VERSION";
        QTest::newRow("bad view") << QStringList{"--view", "kanban"}
                                  << "--view: expected metrics, deployments";
        QTest::newRow("bad palette") << QStringList{"--palette=blue"}
                                     << "--palette: expected system, light or dark";
        QTest::newRow("bad webhook") << QStringList{"--alert-webhook", "not a url"}
                                     << "--alert-webhook: expected an http://";
        QTest::newRow("bad gateway url")
            << QStringList{"--gateway-url", "ftp://x"} << "--gateway-url: expected an http://";
        QTest::newRow("bad sampler") << QStringList{"--trace-sampler", "often"}
                                     << "--trace-sampler: expected always";
        QTest::newRow("zero idle timeout")
            << QStringList{"--http-idle-timeout", "0"} << "--http-idle-timeout: at least 1 second";
        QTest::newRow("zero summary")
            << QStringList{"--headless", "--summary-every", "0"} << "--summary-every: at least 1 second";
        QTest::newRow("replay without output")
            << QStringList{"replay", "--input", "x"} << "replay needs --input FILE and --output FILE";
        QTest::newRow("replay with a data dir")
            << QStringList{"replay", "--input", "a", "--output", "b", "--data-dir", "d"}
            << "replay always runs in memory";
        QTest::newRow("replay --headless")
            << QStringList{"replay", "--input", "a", "--output", "b", "--headless"}
            << "--headless applies to the console or --headless";
        QTest::newRow("audit without export") << QStringList{"audit"} << "audit: expected 'audit export";
        QTest::newRow("audit with an unknown command")
            << QStringList{"audit", "repair"} << "expected 'audit export --output FILE' or 'audit recover'";
        QTest::newRow("audit recover ephemeral")
            << QStringList{"audit", "recover", "--ephemeral"} << "--ephemeral does not apply";
        QTest::newRow("audit recover with a stray word")
            << QStringList{"audit", "recover", "now"} << "unknown option or command: now";
        QTest::newRow("--recover-audit with another command")
            << QStringList{"bench", "--recover-audit"} << "--recover-audit is a command of its own";
        QTest::newRow("--recover-audit --headless")
            << QStringList{"--headless", "--recover-audit"} << "--recover-audit is a command of its own";
        QTest::newRow("audit export without output")
            << QStringList{"audit", "export"} << "audit export needs --output FILE";
        QTest::newRow("audit export ephemeral")
            << QStringList{"audit", "export", "--output", "x", "--ephemeral"} << "a persistent data dir";
        QTest::newRow("audit export bad format")
            << QStringList{"audit", "export", "--output", "x", "--format", "xml"}
            << "--format: expected csv or jsonl";
        QTest::newRow("audit export bad time")
            << QStringList{"audit", "export", "--output", "x", "--from", "monday"}
            << "--from: expected an RFC 3339 date-time";
        QTest::newRow("bench too short")
            << QStringList{"bench", "--seconds", "0"} << "--seconds: between 0.5 and 600";
        QTest::newRow("bench --json is the bench's")
            << QStringList{"--json"} << "unknown option or command: --json";
        QTest::newRow("scenario without run")
            << QStringList{"scenario", "play", "x"} << "expected 'scenario list' or 'scenario run NAME|FILE'";
        QTest::newRow("scenario run without a name")
            << QStringList{"scenario", "run"} << "expected 'scenario list' or 'scenario run NAME|FILE'";
        QTest::newRow("bad speed") << QStringList{"scenario", "run", "steady-state", "--speed", "fast"}
                                   << "--speed: expected a factor such as 1, 10 or 100";
        QTest::newRow("speed without a scenario")
            << QStringList{"--speed", "10"} << "--speed applies to a scenario";
        QTest::newRow("scenario with a fault")
            << QStringList{"--scenario", "gateway-outage", "--fault", "down"} << "put them in its timeline";
        QTest::newRow("scenario run with a data dir")
            << QStringList{"scenario", "run", "steady-state", "--data-dir", "/tmp/x"}
            << "scenarios always run on a fresh in-memory trail";
        QTest::newRow("headless scenario")
            << QStringList{"--headless", "--scenario", "steady-state"} << "use 'scenario run NAME|FILE'";
        QTest::newRow("console options after a command")
            << QStringList{"bench", "--view", "andon"} << "--view applies to the console";
    }
    void badUsageIsAnErrorThatNamesTheOption() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const CliParse parsed = parse(args);
        QVERIFY2(!parsed.options, qPrintable(args.join(' ')));
        QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
    }

    void helpListsEveryOptionTheParserTakes() {
        const QString help = helpText();
        for (const char* word : {"--headless",
                                 "replay",
                                 "audit export",
                                 "audit recover",
                                 "--recover-audit",
                                 "bench",
                                 "scenario list",
                                 "scenario run NAME|FILE",
                                 "--policy FILE",
                                 "--seed N",
                                 "--load N",
                                 "--fault SPEC",
                                 "--fault-after S",
                                 "--infra-fault SPEC",
                                 "--deploy S:V",
                                 "--gateway-url URL",
                                 "--data-dir DIR",
                                 "--ephemeral",
                                 "--retention-days N",
                                 "--listen HOST:PORT",
                                 "--http-idle-timeout S",
                                 "--alert-webhook URL",
                                 "--alertmanager URL",
                                 "--trace-sampler S",
                                 "--trace-capacity N",
                                 "--otlp-file FILE",
                                 "--otlp-endpoint URL",
                                 "--summary-every S",
                                 "--scenario NAME|FILE",
                                 "--speed X",
                                 "--view NAME",
                                 "--palette P",
                                 "--screenshot FILE",
                                 "--after S",
                                 "--exit-after-first-frame",
                                 "--input FILE",
                                 "--output FILE",
                                 "--format F",
                                 "--kind K[,K]",
                                 "--subject S",
                                 "--trace ID",
                                 "--from T",
                                 "--to T",
                                 "--seconds N",
                                 "--soak-seconds N",
                                 "--json",
                                 "--report FILE",
                                 "--interactive",
                                 "-h, --help",
                                 "--version",
                                 "Exit status:",
                                 "Usage: tai-console"}) {
            QVERIFY2(help.contains(QLatin1String(word)), word);
        }
        // Every line fits a terminal of 100 columns, so help2man and a shell both read it well.
        for (const QString& line : help.split('\n')) {
            QVERIFY2(line.size() <= 100, qPrintable(line));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliParser)
#include "tst_cli_parser.moc"
