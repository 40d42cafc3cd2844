// Issue 15's breaker policy, end to end: scenario files (tests/data/scenarios) run on the virtual
// clock through the whole engine, and the report shows what the breaker did and why.
#include "engine/policy_document.h"
#include "scenario/scenario_session.h"

#include <QJsonArray>
#include <QtTest>

using namespace tai;

namespace {

const QString kSlidingWindow = QStringLiteral(
    R"({"mode":"sliding_window","window_size":10,"minimum_calls":10,"failure_rate_threshold":50})");
const QString kSlowCalls = QStringLiteral(
    R"({"mode":"sliding_window","window_size":4,"minimum_calls":4,"failure_rate_threshold":50,)"
    R"("slow_call_duration_ms":1000,"slow_call_rate_threshold":50})");

// Runs tests/data/scenarios/<name>.json to its end, the payment-gateway breaker configured by
// `breaker` (a `payments.breaker` block; empty: the defaults, today's consecutive breaker).
QJsonObject run(const QString& name, const QString& breaker = {}) {
    const LoadedScenario loaded =
        loadScenario(QStringLiteral(TAI_TEST_DATA "/scenarios/") + name + QStringLiteral(".json"));
    if (!loaded.scenario) {
        qFatal("%s", qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    }
    EngineConfig config;
    if (!breaker.isEmpty()) {
        const PolicyLoadResult policy =
            parsePolicy(QStringLiteral(R"({"payments":{"breaker":%1}})").arg(breaker).toUtf8());
        if (!policy.errors.isEmpty()) {
            qFatal("%s", qPrintable(policy.errors.join(QLatin1Char('\n'))));
        }
        config.policy = policy.policy;
    }
    ScenarioSession session(*loaded.scenario, loaded.source, std::move(config));
    QString error;
    if (!session.start(&error)) {
        qFatal("cannot start: %s", qPrintable(error));
    }
    return session.runToEnd();
}

// The payment-gateway breaker's transitions as "at_s from->to[ shadow]: reason".
QStringList transitions(const QJsonObject& report) {
    QStringList found;
    for (const QJsonValue& v : report.value(QStringLiteral("events")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("kind")).toString() != u"breaker_transition" ||
            e.value(QStringLiteral("breaker")).toString() != u"payment-gateway") {
            continue;
        }
        found << QString::number(e.value(QStringLiteral("at_s")).toDouble()) + QLatin1Char(' ') +
                     e.value(QStringLiteral("from")).toString() + QStringLiteral("->") +
                     e.value(QStringLiteral("to")).toString() +
                     (e.value(QStringLiteral("shadow")).toBool() ? QStringLiteral(" shadow") : QString()) +
                     QStringLiteral(": ") + e.value(QStringLiteral("reason")).toString();
    }
    return found;
}

qint64 count(const QJsonObject& report, const char* outcome) {
    return report.value(QStringLiteral("counts")).toObject().value(QLatin1String(outcome)).toInteger();
}

qint64 trips(const QJsonObject& report) {
    return report.value(QStringLiteral("kpis")).toObject().value(QStringLiteral("breaker_trips")).toInteger();
}

}  // namespace

class TestBreakerScenarios : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Seven failures in ten calls, never more than two in a row: under the old threshold of five.
    void aConsecutiveBreakerNeverOpensOnFailuresThatAreNotInARow() {
        const QJsonObject report = run(QStringLiteral("breaker-failure-rate"));
        QCOMPARE(transitions(report), QStringList{});
        QCOMPARE(count(report, "gateway_error"), 7);
        QCOMPARE(count(report, "charged"), 6);
        QCOMPARE(count(report, "circuit_open"), 0);
    }

    void aSlidingWindowOpensOnTheFailureRateAndNamesTheRule() {
        const QJsonObject report = run(QStringLiteral("breaker-failure-rate"), kSlidingWindow);
        QCOMPARE(transitions(report),
                 QStringList{QStringLiteral("1.9 closed->open: failure rate 70 % ≥ 50 % over 10 calls")});
        QCOMPARE(count(report, "gateway_error"), 7);
        QCOMPARE(count(report, "charged"), 3);
        QCOMPARE(count(report, "circuit_open"), 3);  // the three calls after it failed fast
        QCOMPARE(trips(report), 1);
    }

    // No call fails; the breaker opens because they are slow.
    void slowCallsTripASlidingWindowWithNoFailure() {
        const QJsonObject report = run(QStringLiteral("breaker-slow-calls"), kSlowCalls);
        QCOMPARE(transitions(report),
                 QStringList{QStringLiteral("2.8 closed->open: slow-call rate 100 % ≥ 50 % over 4 calls")});
        QCOMPARE(count(report, "gateway_error"), 0);
        QCOMPARE(count(report, "charged"), 6);       // the slow calls themselves all succeeded
        QCOMPARE(count(report, "circuit_open"), 2);  // the two at 5 s
        QCOMPARE(trips(report), 1);
    }

    void slowCallsDoNotCountWithoutASlowCallRule() {
        const QJsonObject report = run(QStringLiteral("breaker-slow-calls"));
        QCOMPARE(transitions(report), QStringList{});
        QCOMPARE(count(report, "charged"), 8);
    }

    // While metrics-only, the rules trip in the shadow and every call reaches the gateway; once
    // released, the same rules block.
    void metricsOnlyNeverBlocksAndItsShadowTripIsNoTrip() {
        const QJsonObject report = run(QStringLiteral("breaker-metrics-only"));
        QCOMPARE(transitions(report),
                 (QStringList{QStringLiteral("0.5 closed->closed: metrics_only by ana: shadow trial"),
                              QStringLiteral("1.4 closed->open shadow: 5 consecutive failures"),
                              QStringLiteral("3 closed->closed: release by ana: enforce"),
                              QStringLiteral("4.4 closed->open: 5 consecutive failures")}));
        QCOMPARE(count(report, "gateway_error"), 12 + 5);
        QCOMPARE(count(report, "circuit_open"), 3);  // only after the release
        QCOMPARE(trips(report), 1);                  // the shadow trip is not one
    }

    void metricsOnlyOnASlidingWindowNamesTheShadowRule() {
        const QJsonObject report = run(QStringLiteral("breaker-metrics-only"), kSlidingWindow);
        const QStringList seen = transitions(report);
        QVERIFY2(
            seen.contains(QStringLiteral("1.9 closed->open shadow: failure rate 100 % ≥ 50 % over 10 calls")),
            qPrintable(seen.join(QLatin1Char('\n'))));
        QCOMPARE(count(report, "gateway_error"), 12 + 8);  // after the release the window starts empty
        QCOMPARE(count(report, "circuit_open"), 0);
        QCOMPARE(trips(report), 0);
    }
};

QTEST_GUILESS_MAIN(TestBreakerScenarios)
#include "tst_breaker_scenarios.moc"
