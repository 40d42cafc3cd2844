// What Alertmanager receives (issue 18): Prometheus' severity words, a generatorURL pointing at
// the console, no empty annotations, and a resolved alert that says it is resolved.
#include "andon/alert_notifiers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace tai;

namespace {

constexpr std::int64_t kFiringAt = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

ActiveAlert alert(const QString& rule, Severity severity, const QString& control) {
    ActiveAlert a;
    a.rule = rule;
    a.subject = rule == "breaker_open" ? "payment-gateway" : "payments";
    a.key = a.rule + '/' + a.subject;
    a.severity = severity;
    a.message = rule + " holds";
    a.value = 0.31;
    a.threshold = 0.05;
    a.control = control;
    a.forS = 30;
    a.raisedAtMs = kFiringAt - 30'000;
    a.firingAtMs = kFiringAt;
    return a;
}

QJsonObject only(const QByteArray& body) {
    const QJsonArray alerts = QJsonDocument::fromJson(body).array();
    return alerts.size() == 1 ? alerts.first().toObject() : QJsonObject{};
}

}  // namespace

class TestAlertmanagerPayload : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void severityFollowsPrometheusConvention_data() {
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("label");
        QTest::newRow("CRITICAL") << static_cast<int>(Severity::Critical) << "critical";
        QTest::newRow("HIGH") << static_cast<int>(Severity::High) << "warning";
        QTest::newRow("LOW") << static_cast<int>(Severity::Low) << "info";
    }
    void severityFollowsPrometheusConvention() {
        QFETCH(int, severity);
        QFETCH(QString, label);
        const QJsonObject a = only(
            AlertNotifiers::alertmanagerBody({alert("error_rate", static_cast<Severity>(severity), {})}));
        QCOMPARE(a["labels"].toObject()["severity"].toString(), label);
        QCOMPARE(alertmanagerSeverity(static_cast<Severity>(severity)), label);
    }

    void firingAlertHasNoEmptyAnnotations_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("control");
        QTest::addColumn<QStringList>("annotations");
        QTest::newRow("with a control")
            << "breaker_open"
            << "force_half_open" << QStringList{"control", "description", "summary", "threshold", "value"};
        QTest::newRow("without a control")
            << "error_rate"
            << "" << QStringList{"description", "summary", "threshold", "value"};
    }
    void firingAlertHasNoEmptyAnnotations() {
        QFETCH(QString, rule);
        QFETCH(QString, control);
        QFETCH(QStringList, annotations);
        const QJsonObject a =
            only(AlertNotifiers::alertmanagerBody({alert(rule, Severity::Critical, control)}));
        const QJsonObject got = a["annotations"].toObject();
        QCOMPARE(got.keys(), annotations);
        for (const QString& key : got.keys()) {
            QVERIFY2(!got[key].toString().isEmpty(), qPrintable(key));
        }
        QCOMPARE(got["summary"].toString(), rule + " holds");
        QCOMPARE(got["value"].toString(), QString("0.31"));
        QVERIFY(got["description"].toString().contains("threshold 0.05"));
        QCOMPARE(a["startsAt"].toString(), QString("2026-01-01T00:00:00.000Z"));
        QVERIFY(!a.contains("endsAt"));
    }

    void generatorUrlPointsAtTheConsole() {
        const QUrl console("http://127.0.0.1:8080/v1/alerts");
        const QJsonObject with =
            only(AlertNotifiers::alertmanagerBody({alert("breaker_open", Severity::Critical, {})}, console));
        QCOMPARE(with["generatorURL"].toString(), console.toString());
        // Without one it is left out, never sent as "".
        const QJsonObject without =
            only(AlertNotifiers::alertmanagerBody({alert("breaker_open", Severity::Critical, {})}));
        QVERIFY(!without.contains("generatorURL"));
    }

    void resolvedAlertSaysItIsResolved() {
        ActiveAlert a = alert("breaker_open", Severity::Critical, "force_half_open");
        a.state = AlertState::Resolved;
        a.resolvedAtMs = kFiringAt + 95'000;
        const QJsonObject r = only(AlertNotifiers::alertmanagerBody({a}));
        const QJsonObject annotations = r["annotations"].toObject();
        QCOMPARE(annotations["summary"].toString(),
                 QString("Resolved after 95 s: breaker_open on payment-gateway"));
        QCOMPARE(annotations["description"].toString(), QString("While firing: breaker_open holds"));
        // The last firing value and the operator's control no longer describe anything current.
        QCOMPARE(annotations.keys(), (QStringList{"description", "summary"}));
        QCOMPARE(r["endsAt"].toString(), QString("2026-01-01T00:01:35.000Z"));
        QCOMPARE(r["labels"].toObject()["alertname"].toString(), QString("breaker_open"));
    }

    void anEventAlertExplainsItself() {
        ActiveAlert a = alert("rollback_triggered", Severity::Critical, "rollback");
        a.event = true;
        const QJsonObject annotations = only(AlertNotifiers::alertmanagerBody({a}))["annotations"].toObject();
        QVERIFY(annotations["description"].toString().contains("fires once"));
    }
};

QTEST_GUILESS_MAIN(TestAlertmanagerPayload)
#include "tst_alertmanager_payload.moc"
