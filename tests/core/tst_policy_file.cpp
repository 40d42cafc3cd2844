// DESIGN.md §9.1: partial files take defaults; every error names its key path; nothing half-applies.
#include "base/virtual_clock.h"
#include "engine/engine.h"
#include "engine/policy_document.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

class TestPolicyFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDocumentedExampleLoads() {
        const auto loaded = parsePolicy(R"({ "version": "2026.11.26-1",
          "payments": {
            "reject_score": 50, "blacklist": ["cust_666"], "trusted_customers": ["cust_vip"],
            "rules": {
              "blacklist": { "weight": 100 },
              "velocity":  { "weight": 50, "max_per_window": 5, "window_s": 60 },
              "amount":    { "weight": 50, "max_amount": "5000.00" },
              "currency":  { "weight": 30, "max_distinct": 2, "window_s": 3600 } },
            "admission_queue_capacity": 4096, "confirmation_queue_capacity": 4096,
            "gateway_rate_per_s": 2000, "gateway_burst": 200, "action_timeout_s": 30,
            "breaker": { "failure_threshold": 5, "recovery_timeout_s": 30, "max_recovery_timeout_s": 300,
                         "half_open_max_probes": 3, "success_threshold": 3, "half_open_max_wait_s": 60 } } })");
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
        QCOMPARE(loaded.policy.version, QStringLiteral("2026.11.26-1"));
        QCOMPARE(loaded.policy.payments.amountMaxMinor, 500000);
        QCOMPARE(loaded.policy.payments.breaker.halfOpenMaxWait, Duration(60s));
    }

    void aPartialFileKeepsEveryOtherDefault() {
        const auto loaded =
            parsePolicy(R"({"version":"v2","payments":{"rules":{"velocity":{"max_per_window":9}}}})");
        QVERIFY(loaded.ok());
        const PaymentsConfig defaults;
        QCOMPARE(loaded.policy.payments.velocityMaxPerWindow, 9);
        QCOMPARE(loaded.policy.payments.velocityWindowS, defaults.velocityWindowS);
        QCOMPARE(loaded.policy.payments.rejectScore, defaults.rejectScore);
        QCOMPARE(loaded.policy.payments.blacklist, defaults.blacklist);
        QCOMPARE(loaded.policy.payments.breaker.failureThreshold, 5);
    }

    void aSlidingWindowBreakerLoadsPerBreaker() {
        const auto loaded = parsePolicy(R"({"payments":{"breaker":{
            "mode":"sliding_window","window_type":"time","window_size":60,"minimum_calls":20,
            "failure_rate_threshold":25.5,"slow_call_duration_ms":800,"slow_call_rate_threshold":40,
            "half_open_max_calls":10}},
          "deployments":{"breaker":{"half_open_max_probes":1,"success_threshold":1}}})");
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
        const BreakerConfig& p = loaded.policy.payments.breaker;
        QCOMPARE(toString(p.mode), QStringLiteral("sliding_window"));
        QCOMPARE(toString(p.windowType), QStringLiteral("time"));
        QCOMPARE(p.windowSize, 60);
        QCOMPARE(p.minimumCalls, 20);
        QCOMPARE(p.failureRateThreshold, 25.5);
        QCOMPARE(p.slowCallDuration, Duration(800ms));
        QCOMPARE(p.slowCallRateThreshold, 40.0);
        QCOMPARE(p.halfOpenMaxCalls, 10);
        QCOMPARE(p.failureThreshold, 5);  // untouched keys keep their defaults
        const BreakerConfig& d = loaded.policy.deployments.breaker;
        QCOMPARE(toString(d.mode), QStringLiteral("consecutive"));  // each breaker block on its own
        QCOMPARE(d.halfOpenMaxProbes, 1);
        QCOMPARE(d.successThreshold, 1);
    }

    // The built-in default.json writes every default out; it must say what the code does.
    void theShippedDefaultFileHoldsTheDefaults() {
        const auto loaded = loadPolicyFile(QStringLiteral(TAI_POLICIES_DIR "/default.json"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
        QVERIFY(loaded.policy.payments.breaker == BreakerConfig{});
        QVERIFY(loaded.policy.deployments.breaker == BreakerConfig{});
    }

    void errorsNameTheKeyPath_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown top-level key") << QByteArray(R"({"paymnets":{}})") << "paymnets: unknown key";
        QTest::newRow("unknown nested key")
            << QByteArray(R"({"payments":{"rules":{"velocity":{"window":60}}}})")
            << "payments.rules.velocity.window: unknown key";
        QTest::newRow("wrong type")
            << QByteArray(R"({"payments":{"breaker":{"failure_threshold":"5"}}})")
            << "payments.breaker.failure_threshold: must be a whole number from 1 to 1000000";
        QTest::newRow("out of range") << QByteArray(R"({"payments":{"gateway_burst":0}})")
                                      << "payments.gateway_burst: must be a whole number from 1 to 100000000";
        QTest::newRow("fraction") << QByteArray(R"({"payments":{"reject_score":49.5}})")
                                  << "payments.reject_score: must be a whole number from 0 to 1000000";
        QTest::newRow("bad money") << QByteArray(R"({"payments":{"rules":{"amount":{"max_amount":"5k"}}}})")
                                   << "payments.rules.amount.max_amount: must be an amount like \"5000.00\"";
        QTest::newRow("list item") << QByteArray(R"({"payments":{"blacklist":["a",7]}})")
                                   << "payments.blacklist[1]: must be a non-empty string";
        QTest::newRow("not an object") << QByteArray(R"({"payments":[]})") << "payments: must be an object";
        QTest::newRow("cap below timeout")
            << QByteArray(R"({"payments":{"breaker":{"recovery_timeout_s":60,"max_recovery_timeout_s":30}}})")
            << "payments.breaker.max_recovery_timeout_s: must be at least recovery_timeout_s";
        QTest::newRow("breaker mode") << QByteArray(R"({"payments":{"breaker":{"mode":"rolling"}}})")
                                      << "payments.breaker.mode: must be one of consecutive, sliding_window";
        QTest::newRow("breaker window type")
            << QByteArray(R"({"deployments":{"breaker":{"window_type":"calls"}}})")
            << "deployments.breaker.window_type: must be one of count, time";
        QTest::newRow("failure rate out of range")
            << QByteArray(R"({"payments":{"breaker":{"failure_rate_threshold":0}}})")
            << "payments.breaker.failure_rate_threshold: must be a number from 1 to 100";
        QTest::newRow("failure rate of the wrong type")
            << QByteArray(R"({"payments":{"breaker":{"failure_rate_threshold":"50%"}}})")
            << "payments.breaker.failure_rate_threshold: must be a number from 1 to 100";
        QTest::newRow("slow-call rate out of range")
            << QByteArray(R"({"deployments":{"breaker":{"slow_call_rate_threshold":101}}})")
            << "deployments.breaker.slow_call_rate_threshold: must be a number from 1 to 100";
        QTest::newRow("count window too large")
            << QByteArray(R"({"payments":{"breaker":{"window_size":100001}}})")
            << "payments.breaker.window_size: must be a whole number from 1 to 100000";
        QTest::newRow("time window too long")
            << QByteArray(R"({"payments":{"breaker":{"window_type":"time","window_size":7200}}})")
            << "payments.breaker.window_size: must be a whole number from 1 to 3600";
        QTest::newRow("minimum calls")
            << QByteArray(R"({"payments":{"breaker":{"minimum_calls":0}}})")
            << "payments.breaker.minimum_calls: must be a whole number from 1 to 1000000";
        QTest::newRow("slow-call duration")
            << QByteArray(R"({"payments":{"breaker":{"slow_call_duration_ms":1.5}}})")
            << "payments.breaker.slow_call_duration_ms: must be a whole number from 1 to 3600000";
        QTest::newRow("trial calls below the success threshold")
            << QByteArray(R"({"payments":{"breaker":{"half_open_max_calls":2}}})")
            << "payments.breaker.half_open_max_calls: must be 0 (no limit) or at least success_threshold";
        QTest::newRow("unknown breaker key")
            << QByteArray(R"({"deployments":{"breaker":{"slidingWindowSize":100}}})")
            << "deployments.breaker.slidingWindowSize: unknown key";
        QTest::newRow("deployment stage")
            << QByteArray(R"({"deployments":{"stages":[{"name":"canary","weight":500}]}})")
            << "deployments.stages[0].weight: must be a whole number from 1 to 100";
        QTest::newRow("last stage below 100 %")
            << QByteArray(
                   R"({"deployments":{"stages":[{"name":"canary","weight":5},{"name":"staging","weight":25}]}})")
            << "deployments.stages[1].weight: the last stage must take 100 % of the traffic";
        QTest::newRow("falling weights")
            << QByteArray(R"({"deployments":{"stages":[{"name":"canary","weight":50},)"
                          R"({"name":"staging","weight":25},{"name":"prod","weight":100}]}})")
            << "deployments.stages[1].weight: must not be below the weight of stages[0] (50)";
        QTest::newRow("pause step first")
            << QByteArray(R"({"deployments":{"stages":[{"pause":true},{"name":"prod","weight":100}]}})")
            << "deployments.stages[0].pause: a pause step needs a stage before it";
        QTest::newRow("pause step with a weight")
            << QByteArray(
                   R"({"deployments":{"stages":[{"name":"canary","weight":5},{"pause":true,"weight":9},)"
                   R"({"name":"prod","weight":100}]}})")
            << "deployments.stages[1].weight: unknown key";
        QTest::newRow("on_marginal") << QByteArray(R"({"deployments":{"on_marginal":"rollback"}})")
                                     << "deployments.on_marginal: must be one of alert, pause";
        QTest::newRow("health provider URL")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"prometheus_url\":\"ftp://127.0.0.1:9090\","
                   "\"error_rate_query\":\"e\",\"p99_ms_query\":\"p\"}}}")
            << "deployments.health_provider.prometheus_url: must be an http:// or https:// URL";
        QTest::newRow("health provider without a URL")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"error_rate_query\":\"e\",\"p99_ms_query\":\"p\"}"
                   "}}")
            << "deployments.health_provider.prometheus_url: required: an http:// or https:// URL";
        QTest::newRow("health provider without a query")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"prometheus_url\":\"http://127.0.0.1:9090\","
                   "\"error_rate_query\":\"e\"}}}")
            << "deployments.health_provider.p99_ms_query: must be a PromQL expression";
        QTest::newRow("health provider timeout")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"prometheus_url\":\"http://127.0.0.1:9090\","
                   "\"error_rate_query\":\"e\",\"p99_ms_query\":\"p\",\"timeout_ms\":0}}}")
            << "deployments.health_provider.timeout_ms: must be a whole number from 100 to 60000";
        QTest::newRow("health provider unknown key")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"prometheus_url\":\"http://127.0.0.1:9090\","
                   "\"error_rate_query\":\"e\",\"p99_ms_query\":\"p\",\"step\":\"1m\"}}}")
            << "deployments.health_provider.step: unknown key";
        QTest::newRow("action webhook URL")
            << QByteArray("{\"deployments\":{\"action_webhook\":{\"url\":\"127.0.0.1:9000/actions\"}}}")
            << "deployments.action_webhook.url: must be an http:// or https:// URL";
        QTest::newRow("action webhook without a URL")
            << QByteArray("{\"deployments\":{\"action_webhook\":{\"timeout_s\":5}}}")
            << "deployments.action_webhook.url: required: an http:// or https:// URL";
        QTest::newRow("action webhook timeout")
            << QByteArray(
                   "{\"deployments\":{\"action_webhook\":{\"url\":\"http://hook/a\",\"timeout_s\":0}}}")
            << "deployments.action_webhook.timeout_s: must be a whole number from 1 to 3600";
        QTest::newRow("action webhook unknown key")
            << QByteArray(
                   "{\"deployments\":{\"action_webhook\":{\"url\":\"http://hook/a\",\"method\":\"PUT\"}}}")
            << "deployments.action_webhook.method: unknown key";
        QTest::newRow("andon severity")
            << QByteArray(R"({"andon":{"rules":{"fraud_rate":{"severity":"RED"}}}})")
            << "andon.rules.fraud_rate.severity: must be one of CRITICAL, HIGH, LOW";
        QTest::newRow("syntax") << QByteArray("{\n  \"version\": \"x\",\n  oops\n}")
                                << "line 3, column 4: unterminated object";
        QTest::newRow("not an object at all") << QByteArray("[]") << "policy file must be a JSON object";
    }

    void errorsNameTheKeyPath() {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const auto loaded = parsePolicy(json);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.errors.value(0), error);
    }

    void readsPauseStepsGatesAndOnMarginal() {
        const auto loaded = parsePolicy(R"({"deployments":{"on_marginal":"pause","stages":[
            {"name":"canary","weight":5,"duration_s":60,"require_confirmation":true},
            {"pause":true},{"name":"prod","weight":100}]}})");
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join('\n')));
        const DeploymentsConfig& d = loaded.policy.deployments;
        QVERIFY(d.onMarginal == OnMarginal::Pause);
        QCOMPARE(d.stages.size(), std::size_t{3});
        QVERIFY(d.stages[0].requireConfirmation);
        QVERIFY(d.stages[1].pause);
        QCOMPARE(d.stages[1].name, QStringLiteral("pause"));
        QCOMPARE(d.stages[1].weightPercent, 5);  // holds the weight before it
    }

    void readsTheHealthProviderAndTheActionWebhook() {
        const auto loaded = parsePolicy(
            QJsonDocument(
                QJsonObject{
                    {"deployments",
                     QJsonObject{
                         {"health_provider",
                          QJsonObject{{"prometheus_url", "http://127.0.0.1:9090"},
                                      {"timeout_ms", 2500},
                                      {"error_rate_query", "sum(rate(errors{region=\"{region}\"}[1m]))"},
                                      {"p99_ms_query", "p99{v=\"{version}\"}"}}},
                         {"action_webhook",
                          QJsonObject{{"url", "https://deploy.example/actions"}, {"timeout_s", 12}}}}}})
                .toJson());
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join('\n')));
        const DeploymentsConfig& d = loaded.policy.deployments;
        QCOMPARE(d.healthProvider.url, QStringLiteral("http://127.0.0.1:9090"));
        QCOMPARE(d.healthProvider.errorRateQuery,
                 QStringLiteral("sum(rate(errors{region=\"{region}\"}[1m]))"));
        QCOMPARE(d.healthProvider.p99MsQuery, QStringLiteral("p99{v=\"{version}\"}"));
        QCOMPARE(d.healthProvider.timeoutMs, 2500);
        QCOMPARE(d.actionWebhook.url, QStringLiteral("https://deploy.example/actions"));
        QCOMPARE(d.actionWebhook.timeoutS, 12);
        // Absent, both stay with the simulator.
        const auto plain = parsePolicy("{\"deployments\":{\"health_interval_s\":5}}");
        QVERIFY(plain.ok());
        QVERIFY(plain.policy.deployments.healthProvider == PrometheusHealthConfig{});
        QVERIFY(plain.policy.deployments.actionWebhook == ActionWebhookConfig{});
    }

    // Like gateway_url: scenarios and replays run on the virtual clock, which no real system follows.
    void aRealHealthProviderOrWebhookIsRefusedOnTheVirtualClock_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("key");
        QTest::newRow("health provider")
            << QByteArray(
                   "{\"deployments\":{\"health_provider\":{\"prometheus_url\":\"http://127.0.0.1:1\","
                   "\"error_rate_query\":\"e\",\"p99_ms_query\":\"p\"}}}")
            << "deployments.health_provider.prometheus_url: ";
        QTest::newRow("action webhook")
            << QByteArray("{\"deployments\":{\"action_webhook\":{\"url\":\"http://127.0.0.1:1/actions\"}}}")
            << "deployments.action_webhook.url: ";
    }

    void aRealHealthProviderOrWebhookIsRefusedOnTheVirtualClock() {
        QFETCH(QByteArray, json);
        QFETCH(QString, key);
        const auto loaded = parsePolicy(json);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join('\n')));
        EngineConfig config;
        config.policy = loaded.policy;
        VirtualClock clock;
        Engine engine(config, clock);
        QVERIFY(!engine.start());
        QVERIFY2(engine.startError().startsWith(key), qPrintable(engine.startError()));
        QVERIFY2(engine.startError().contains("virtual clock"), qPrintable(engine.startError()));
    }

    void everyErrorIsReportedAndNothingIsApplied() {
        const auto loaded = parsePolicy(R"({"version":"bad","payments":{"reject_score":-1,"colour":"red"}})");
        QCOMPARE(loaded.errors.size(), 2);
        QCOMPARE(loaded.policy.version, QStringLiteral("builtin-default"));
        QCOMPARE(loaded.policy.payments.rejectScore, 50);
    }

    void missingFileSaysSo() {
        const auto loaded = loadPolicyFile(QStringLiteral("/nonexistent/policy.json"));
        QVERIFY(!loaded.ok());
        QVERIFY(loaded.errors.value(0).startsWith(QStringLiteral("/nonexistent/policy.json: cannot read")));
    }
};

QTEST_GUILESS_MAIN(TestPolicyFile)
#include "tst_policy_file.moc"
