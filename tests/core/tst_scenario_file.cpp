// Scenario files (DESIGN.md §9.4): a valid file loads whole; each malformed one is refused with
// the line, the column and the key path of what is wrong, and nothing half-valid comes back.
#include "scenario/scenario_file.h"

#include <QtTest>

using namespace tai;

namespace {
// Builds a file from lines, so each case can say exactly where its error is.
QByteArray lines(const QStringList& text) {
    return text.join('\n').toUtf8();
}
}  // namespace

class TestScenarioFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDesignExampleLoads() {
        const QByteArray text = lines(
            {"{ \"name\": \"gateway-outage\", \"title\": \"Gateway outage\", \"description\": \"Handle "
             "it.\",",
             "  \"seed\": 7, \"duration_s\": 600, \"regions\": [\"us-west-2\", \"us-east-1\"],",
             "  \"traffic\": { \"payments_per_s\": 50, \"customers\": 500, \"fraudster_share\": 0.01 },",
             "  \"events\": [",
             "    { \"at_s\": 300, \"do\": \"deploy\", \"service\": \"api-service\", \"version\": \"v2.0.0\" "
             "},",
             "    { \"at_s\": 60,  \"do\": \"gateway.fault\", \"error_rate\": 1.0, \"for_s\": 90 },",
             "    { \"at_s\": 320, \"do\": \"infra.fault\", \"region\": \"us-east-1\", \"version\": "
             "\"v2.0.0\", "
             "\"error_rate\": 0.08 },",
             "    { \"at_s\": 400, \"do\": \"traffic\", \"payments_per_s\": 500, \"for_s\": 30 },",
             "    { \"at_s\": 410, \"do\": \"payment\", \"customer_id\": \"c1\", \"merchant_id\": \"m1\", "
             "\"amount\": "
             "\"10.00\", \"currency\": \"USD\" },",
             "    { \"at_s\": 420, \"do\": \"operator\", \"command\": \"force_half_open\", \"breaker\": "
             "\"payment-gateway\" }",
             "  ],",
             "  \"objectives\": [ { \"kind\": \"ack_alert\", \"alert\": \"breaker_open\", \"within_s\": 60 "
             "},",
             "                  { \"kind\": \"no_double_charge\" } ] }"});
        const auto parsed = parseScenario(text);
        if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
            QFAIL(qPrintable(errors->front().text()));
        }
        const Scenario& s = std::get<Scenario>(parsed);
        QCOMPARE(s.name, QStringLiteral("gateway-outage"));
        QCOMPARE(s.seed, std::uint64_t{7});
        QCOMPARE(s.durationS, 600.0);
        QCOMPARE(s.regions, (QStringList{"us-west-2", "us-east-1"}));
        QCOMPARE(s.paymentsPerS, 50);
        QCOMPARE(s.events.size(), std::size_t{6});
        QCOMPARE(s.events.front().action, QStringLiteral("gateway.fault"));  // sorted by time
        QCOMPARE(s.events.front().line, 6);
        QCOMPARE(s.events.front().params.value("error_rate").toDouble(), 1.0);
        QVERIFY(!s.events.front().params.contains("do"));
        QCOMPARE(s.objectives.size(), std::size_t{2});
    }

    void malformedFilesNameTheLineColumnAndKey_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        const QString head = "{ \"name\": \"x\", \"duration_s\": 600,";
        const auto file = [&](const QStringList& rest) {
            return lines(QStringList{head} + rest);
        };

        // For syntax errors the position is Qt's parser's: just past the character it choked on.
        QTest::newRow("not JSON: missing comma")
            << lines({"{ \"name\": \"x\"", "  \"duration_s\": 600 }"}) << 2 << 4 << "not valid JSON";
        QTest::newRow("not JSON: trailing garbage")
            << lines({"{ \"name\": \"x\", \"duration_s\": 600 } }"}) << 1 << 36 << "not valid JSON";
        QTest::newRow("not an object") << lines({"[1, 2]"}) << 1 << 1 << "a scenario is a JSON object";
        QTest::newRow("missing name")
            << lines({"{", "  \"duration_s\": 600 }"}) << 1 << 1 << "missing 'name'";
        QTest::newRow("bad name") << lines({"{ \"name\": \"Gateway Outage\", \"duration_s\": 600 }"}) << 1
                                  << 11 << "name: use lowercase letters";
        QTest::newRow("duration not a number") << lines({"{ \"name\": \"x\",", "  \"duration_s\": \"ten\" }"})
                                               << 2 << 17 << "duration_s: must be a number from 1 to 86400";
        QTest::newRow("unknown top-level key")
            << lines({"{ \"name\": \"x\", \"duration_s\": 600,", "  \"sede\": 7 }"}) << 2 << 3
            << "sede: unknown key 'sede'";
        QTest::newRow("traffic rate negative")
            << file({"  \"traffic\": { \"payments_per_s\": -5 } }"}) << 2 << 34
            << "traffic.payments_per_s: must be a whole number from 0";
        QTest::newRow("traffic share over 1")
            << file({"  \"traffic\": {", "    \"fraudster_share\": 1.5 } }"}) << 3 << 24
            << "traffic.fraudster_share: must be a number from 0 to 1";
        QTest::newRow("events not a list")
            << file({"  \"events\": { } }"}) << 2 << 13 << "events: must be a list";
        QTest::newRow("unknown do") << file({"  \"events\": [",
                                             "    { \"at_s\": 10, \"do\": \"explode\" } ] }"})
                                    << 3 << 25 << "events[0].do: unknown action 'explode'";
        QTest::newRow("missing do") << file({"  \"events\": [", "    { \"at_s\": 10 } ] }"}) << 3 << 5
                                    << "events[0]: missing 'do'";
        QTest::newRow("at_s past the end")
            << file({"  \"events\": [", "    { \"at_s\": 900, \"do\": \"traffic\" } ] }"}) << 3 << 15
            << "events[0].at_s: must be a number of seconds from 0 to duration_s";
        QTest::newRow("fault rate out of range")
            << file({"  \"events\": [", "    { \"at_s\": 1, \"do\": \"gateway.fault\",",
                     "      \"error_rate\": 2 } ] }"})
            << 4 << 21 << "events[0].error_rate: must be a number from 0 to 1";
        QTest::newRow("down is not a bool")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"gateway.fault\", \"down\": \"yes\" } ] }"})
            << 2 << 59 << "events[0].down: must be true or false";
        QTest::newRow("unknown key for the action")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"deploy\", \"service\": \"s\", \"version\": "
                     "\"v\",",
                     "                 \"canary_pct\": 5 } ] }"})
            << 3 << 18 << "events[0].canary_pct: unknown key 'canary_pct'";
        QTest::newRow("infra fault without region")
            << file({"  \"events\": [",
                     "    { \"at_s\": 1, \"do\": \"infra.fault\", \"error_rate\": 0.1 } ] }"})
            << 3 << 5 << "events[0]: missing 'region'";
        QTest::newRow("operator without a known command")
            << file({"  \"events\": [",
                     "    { \"at_s\": 1, \"do\": \"operator\", \"command\": \"reboot\" } ] }"})
            << 3 << 47 << "events[0].command: operator needs a command";
        QTest::newRow("operator rollback without region")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"operator\", \"command\": \"rollback\", "
                     "\"deployment\": \"d-1\" } ] }"})
            << 2 << 15 << "events[0]: missing 'region'";
        QTest::newRow("payment without amount")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"payment\", \"customer_id\": \"c\", "
                     "\"merchant_id\": \"m\", "
                     "\"currency\": \"USD\" } ] }"})
            << 2 << 15 << "events[0]: missing 'amount'";
        QTest::newRow("unknown objective") << file({"  \"objectives\": [ { \"kind\": \"win\" } ] }"}) << 2
                                           << 29 << "objectives[0].kind: unknown objective 'win'";
        QTest::newRow("objective missing within_s")
            << file({"  \"objectives\": [",
                     "    { \"kind\": \"ack_alert\", \"alert\": \"breaker_open\" } ] }"})
            << 3 << 5 << "objectives[0]: missing 'within_s'";
        // The payment parser's own §4.1 checks, placed at the field that fails them.
        QTest::newRow("payment with a lowercase currency")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"payment\", \"customer_id\": \"c\", "
                     "\"merchant_id\": \"m\", \"amount\": \"1.00\", \"currency\": \"usd\" } ] }"})
            << 2 << 115 << "events[0].currency:";
        QTest::newRow("payment amount with three decimals")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"payment\", \"customer_id\": \"c\", "
                     "\"merchant_id\": \"m\", \"amount\": \"1.005\", \"currency\": \"USD\" } ] }"})
            << 2 << 95 << "events[0].amount:";
        QTest::newRow("command objective without its command")
            << file({"  \"objectives\": [ { \"kind\": \"command\", \"not_before_s\": 10 } ] }"}) << 2 << 19
            << "objectives[0]: missing 'command'";
        QTest::newRow("start_burst without seconds")
            << file({"  \"events\": [ { \"at_s\": 1, \"do\": \"operator\", \"command\": \"start_burst\", "
                     "\"payments_per_s\": 100 } ] }"})
            << 2 << 15 << "events[0]: missing 'seconds'";
    }

    void malformedFilesNameTheLineColumnAndKey() {
        QFETCH(QByteArray, file);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto parsed = parseScenario(file);
        QVERIFY2(std::holds_alternative<std::vector<ScenarioError>>(parsed), "a malformed file was accepted");
        const auto& errors = std::get<std::vector<ScenarioError>>(parsed);
        QVERIFY(!errors.empty());
        const ScenarioError& first = errors.front();
        QVERIFY2(first.text().contains(message), qPrintable(first.text()));
        QCOMPARE(first.line, line);
        QCOMPARE(first.column, column);
        QVERIFY(first.text().startsWith(QStringLiteral("line %1, column %2: ").arg(line).arg(column)));
    }

    void everyProblemIsReportedNotJustTheFirst() {
        const QByteArray text =
            lines({"{ \"name\": \"x\", \"duration_s\": 600, \"colour\": 1,",
                   "  \"events\": [ { \"at_s\": 1, \"do\": \"nope\" },",
                   "              { \"at_s\": 2, \"do\": \"traffic\", \"payments_per_s\": 1.5 } ] }"});
        const auto parsed = parseScenario(text);
        QVERIFY(std::holds_alternative<std::vector<ScenarioError>>(parsed));
        const auto& errors = std::get<std::vector<ScenarioError>>(parsed);
        QCOMPARE(errors.size(), std::size_t{3});
        QCOMPARE(errors[0].line, 1);
        QCOMPARE(errors[1].line, 2);
        QCOMPARE(errors[2].line, 3);
    }
};

QTEST_GUILESS_MAIN(TestScenarioFile)
#include "tst_scenario_file.moc"
