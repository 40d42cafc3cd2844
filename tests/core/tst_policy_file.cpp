// DESIGN.md §9.1: partial files take defaults; every error names its key path; nothing half-applies.
#include "engine/policy_document.h"

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
        QTest::newRow("deployment stage")
            << QByteArray(R"({"deployments":{"stages":[{"name":"canary","weight":500}]}})")
            << "deployments.stages[0].weight: must be a whole number from 1 to 100";
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
