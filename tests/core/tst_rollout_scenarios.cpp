// Issue 15, through scenario files and the policy file as a trainer writes them: an indefinite
// pause step waits for promote, a marginal sample pauses the rollout under on_marginal: pause, and
// undo goes back to a chosen revision (Argo Rollouts' pause step, Inconclusive and undo).
#include "engine/engine.h"
#include "scenario/scenario_file.h"
#include "scenario/scenario_session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace tai;

namespace {

// JSON written with single quotes, so that it reads in a C++ string (and moc, which trips over raw
// strings, never sees one).
QByteArray q(const char* text) {
    return QByteArray(text).replace('\'', '"');
}

// One region, short stages: canary 10 % for 30 s, then `middle`, then prod 100 %; a 10 s bake.
QByteArray policyText(const QByteArray& middle, const QByteArray& onMarginal = "alert") {
    return QByteArray(q("{'deployments': {'regions': ['us-east-1'], 'health_interval_s': 5, 'bake_time_s': "
                        "10, 'on_marginal': '")) +
           onMarginal + q("', 'stages': [{'name': 'canary', 'weight': 10, 'duration_s': 30}, ") + middle +
           q(", {'name': 'prod', 'weight': 100, 'duration_s': 0}]}}");
}

struct Run {
    QJsonObject report;
    std::vector<QJsonObject> events(const QString& kind, const QString& key = {},
                                    const QString& value = {}) const {
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
    // The stages a deployment went through, "stage@at_s" in order.
    QStringList stages(const QString& deployment) const {
        QStringList out;
        for (const QJsonObject& e :
             events(QStringLiteral("rollout_stage"), QStringLiteral("deployment"), deployment)) {
            out << QStringLiteral("%1@%2")
                       .arg(e.value(QStringLiteral("stage")).toString())
                       .arg(e.value(QStringLiteral("at_s")).toDouble());
        }
        return out;
    }
};

Run runScenario(const QByteArray& policy, const QByteArray& events, int durationS) {
    const PolicyLoadResult loaded = parsePolicy(policy);
    if (!loaded.ok()) {
        qFatal("policy: %s", qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    }
    const QByteArray file =
        QByteArray(
            q("{'name': 'rollout-test', 'title': 't', 'description': 'd', 'seed': 7, 'duration_s': ")) +
        QByteArray::number(durationS) + q(", 'events': [") + events + "]}";
    const auto parsed = parseScenario(file);
    if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
        qFatal("scenario: %s: %s", qPrintable(errors->front().path), qPrintable(errors->front().message));
    }
    EngineConfig config;
    config.policy = loaded.policy;
    ScenarioSession session(std::get<Scenario>(parsed), QJsonDocument::fromJson(file).object(), config);
    QString error;
    if (!session.start(&error)) {
        qFatal("start: %s", qPrintable(error));
    }
    return Run{session.runToEnd()};
}

}  // namespace

class TestRolloutScenarios : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anIndefinitePauseStepWaitsForPromote() {
        // The pause step holds the canary's 10 % from 30 s until the operator promotes at 400 s.
        const Run r = runScenario(policyText(q("{'pause': true}")),
                                  q("{'at_s': 0, 'do': 'deploy', 'service': 'api-service', 'version': "
                                    "'v1.1.0', 'id': 'd-1'}, {'at_s': 400, 'do': 'operator', 'command': "
                                    "'promote', 'deployment': 'd-1', 'actor': 'trainer'}"),
                                  480);
        QCOMPARE(r.stages(QStringLiteral("d-1")),
                 (QStringList{QStringLiteral("canary@0"), QStringLiteral("pause@30"),
                              QStringLiteral("prod@400"), QStringLiteral("done@410")}));
        const auto pause =
            r.events(QStringLiteral("rollout_stage"), QStringLiteral("stage"), QStringLiteral("pause"));
        QCOMPARE(pause.front().value(QStringLiteral("weight")).toInt(), 10);
    }

    void withoutPromoteThePauseStepNeverEnds() {
        const Run r = runScenario(
            policyText(q("{'pause': true}")),
            q("{'at_s': 0, 'do': 'deploy', 'service': 'api-service', 'version': 'v1.1.0', 'id': 'd-1'}"),
            3600);
        QCOMPARE(r.stages(QStringLiteral("d-1")),
                 (QStringList{QStringLiteral("canary@0"), QStringLiteral("pause@30")}));
    }

    void aMarginalSamplePausesTheRolloutUnderOnMarginalPause_data() {
        QTest::addColumn<QByteArray>("onMarginal");
        QTest::addColumn<QStringList>("stages");
        // 3 % errors: above the 2.5 % marginal line, below the 5 % limit. Under alert the canary is
        // promoted on schedule; under pause it waits for the operator's promote at 200 s.
        QTest::newRow("alert") << QByteArray("alert")
                               << QStringList{QStringLiteral("canary@0"), QStringLiteral("staging@30"),
                                              QStringLiteral("prod@90"), QStringLiteral("done@100")};
        QTest::newRow("pause") << QByteArray("pause")
                               << QStringList{QStringLiteral("canary@0"), QStringLiteral("staging@200"),
                                              QStringLiteral("prod@260"), QStringLiteral("done@270")};
    }
    void aMarginalSamplePausesTheRolloutUnderOnMarginalPause() {
        QFETCH(QByteArray, onMarginal);
        QFETCH(QStringList, stages);
        const Run r =
            runScenario(policyText(q("{'name': 'staging', 'weight': 50, 'duration_s': 60}"), onMarginal),
                        q("{'at_s': 0, 'do': 'infra.fault', 'region': 'us-east-1', 'version': 'v1.1.0', "
                          "'error_rate': 0.03, 'for_s': 25}, {'at_s': 0, 'do': 'deploy', 'service': "
                          "'api-service', 'version': 'v1.1.0', 'id': 'd-1'}, {'at_s': 200, 'do': 'operator', "
                          "'command': 'promote', 'deployment': 'd-1', 'actor': 'trainer'}"),
                        300);
        QCOMPARE(r.stages(QStringLiteral("d-1")), stages);
        QVERIFY(!r.events(QStringLiteral("alert"), QStringLiteral("rule"), QStringLiteral("health_marginal"))
                     .empty());
        QVERIFY(r.events(QStringLiteral("rollback")).empty());
    }

    void undoGoesBackToAChosenRevision() {
        // Revisions 1 (v1.1.0), 2 (v1.2.0), 3 (v1.3.0), each done after 30 + 0 + 10 s. Undo to
        // revision 1 at 300 s starts d-4 with v1.1.0 through every stage.
        const Run r = runScenario(
            policyText(q("{'name': 'staging', 'weight': 50, 'duration_s': 0}")),
            q("{'at_s': 0, 'do': 'deploy', 'service': 'api-service', 'version': 'v1.1.0'}, {'at_s': 100, "
              "'do': 'deploy', 'service': 'api-service', 'version': 'v1.2.0'}, {'at_s': 200, 'do': 'deploy', "
              "'service': 'api-service', 'version': 'v1.3.0'}, {'at_s': 300, 'do': 'operator', 'command': "
              "'undo', 'service': 'api-service', 'to_revision': 1, 'actor': 'trainer', 'reason': '1.3 and "
              "1.2 leak'}, {'at_s': 400, 'do': 'operator', 'command': 'undo', 'service': 'api-service', "
              "'to_revision': 4, 'actor': 'trainer'}, {'at_s': 401, 'do': 'operator', 'command': 'undo', "
              "'service': 'api-service', 'to_revision': 9, 'actor': 'trainer'}, {'at_s': 402, 'do': "
              "'operator', 'command': 'undo', 'service': 'api-service', 'actor': 'trainer'}"),
            500);
        QCOMPARE(r.stages(QStringLiteral("d-4")),
                 (QStringList{QStringLiteral("canary@300"), QStringLiteral("staging@330"),
                              QStringLiteral("prod@330"), QStringLiteral("done@340")}));
        const auto undos =
            r.events(QStringLiteral("operator"), QStringLiteral("command"), QStringLiteral("undo"));
        QCOMPARE(undos.size(), std::size_t{4});
        QCOMPARE(undos[0].value(QStringLiteral("subject")).toString(), QStringLiteral("api-service"));
        QVERIFY(!undos[0].contains(QStringLiteral("error")));
        // Revision 4 is d-4 itself: v1.1.0 runs already.
        QCOMPARE(undos[1].value(QStringLiteral("error")).toString(),
                 QStringLiteral("to_revision: api-service already runs v1.1.0 (revision 4)"));
        QCOMPARE(undos[2].value(QStringLiteral("error")).toString(),
                 QStringLiteral("to_revision: api-service has revisions 1 to 4, not 9"));
        // No revision given: the newest completed one before the current with another version.
        QVERIFY(!undos[3].contains(QStringLiteral("error")));
        QCOMPARE(r.stages(QStringLiteral("d-5")).value(0), QStringLiteral("canary@402"));
    }
};

QTEST_GUILESS_MAIN(TestRolloutScenarios)
#include "tst_rollout_scenarios.moc"
