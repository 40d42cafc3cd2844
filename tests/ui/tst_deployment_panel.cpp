// The deployments view: requests and §5.5 controls go out as commands; cards follow snapshots.
#include "deploy_form.h"
#include "deployment_panel.h"
#include "rollout_card.h"
#include "ui_test_support.h"

#include <QJsonObject>
#include <QPushButton>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

class TestDeploymentPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deployingShowsARolloutCardWithItsStages() {
        ConsoleFixture f;
        f.window->showView("deployments");
        QTest::mouseClick(f.window->deployments()->form()->findChild<QPushButton*>("deploy"), Qt::LeftButton);
        f.advance(0us);
        f.advance(100ms);
        QTRY_VERIFY(f.window->deployments()->card("d-1") != nullptr);
        ui::RolloutCard* card = f.window->deployments()->card("d-1");
        QTRY_VERIFY2(card->statusText().contains("IN PROGRESS"), qPrintable(card->statusText()));
        QTRY_VERIFY(card->regionText("us-west-2").startsWith("canary | 5 %"));
        QVERIFY(card->regionText("eu-west-1").startsWith("pending | waiting"));
    }

    void abortAsksForConfirmationThenRollsBack() {
        ConsoleFixture f;
        QString asked;
        f.window->setConfirm([&asked](const QString&, const QString& question) -> std::optional<QString> {
            asked = question;
            return QStringLiteral("wrong build");
        });
        QTest::mouseClick(f.window->deployments()->form()->findChild<QPushButton*>("deploy"), Qt::LeftButton);
        f.advance(0us);
        f.advance(100ms);
        QTRY_VERIFY(f.window->deployments()->card("d-1") != nullptr);
        ui::RolloutCard* card = f.window->deployments()->card("d-1");
        QTRY_VERIFY(card->findChild<QPushButton*>("abort")->isEnabled());
        QTest::mouseClick(card->findChild<QPushButton*>("abort"), Qt::LeftButton);
        QVERIFY(asked.contains("Abort d-1"));
        f.advance(0us);
        f.advance(100ms);
        QTRY_VERIFY2(card->statusText().contains("ABORTED"), qPrintable(card->statusText()));
        QVERIFY(card->regionText("us-west-2").startsWith("rolled_back"));
        QVERIFY(card->regionText("us-east-1").startsWith("cancelled"));
        QTRY_VERIFY(card->findChild<QPushButton*>("retry")->isEnabled());
        const auto& timeline = f.engine->latestSnapshot()->timeline;
        QVERIFY(std::any_of(timeline.begin(), timeline.end(), [](const TimelineEvent& e) {
            return e.text.contains("abort") && e.text.contains("wrong build");
        }));
    }

    // Issue 15: each card is a revision of its service, and "Undo to this" starts a new rollout of
    // that revision's version, after a confirmation.
    void undoToARevisionFromItsCard() {
        ConsoleFixture f;
        QString asked;
        f.window->setConfirm([&asked](const QString&, const QString& question) -> std::optional<QString> {
            asked = question;
            return QStringLiteral("2.1 leaks");
        });
        const auto deploy = [&f](const char* version) {
            RequestDeployment request;
            request.body = QJsonObject{{QStringLiteral("service"), QStringLiteral("api-service")},
                                       {QStringLiteral("version"), QLatin1String(version)}};
            QVERIFY(f.engine->execute(request).result().ok());
            for (int i = 0; i < 3000; i += 10) {
                f.advance(10s);
            }
        };
        deploy("v2.0.0");
        deploy("v2.1.0");
        f.advance(100ms);
        QTRY_VERIFY(f.window->deployments()->card("d-2") != nullptr);
        ui::RolloutCard* first = f.window->deployments()->card("d-1");
        ui::RolloutCard* current = f.window->deployments()->card("d-2");
        QTRY_VERIFY2(current->statusText().contains("(rev 2) — COMPLETED"),
                     qPrintable(current->statusText()));
        QVERIFY2(first->statusText().contains("v2.0.0 (rev 1) — COMPLETED"), qPrintable(first->statusText()));
        QPushButton* undoCurrent = current->findChild<QPushButton*>("undo");
        QVERIFY(!undoCurrent->isEnabled());
        QCOMPARE(undoCurrent->toolTip(), QStringLiteral("api-service already runs v2.1.0 (revision 2)"));
        QPushButton* undoFirst = first->findChild<QPushButton*>("undo");
        QVERIFY(undoFirst->isEnabled());
        QTest::mouseClick(undoFirst, Qt::LeftButton);
        QVERIFY2(asked.contains("Undo api-service to revision 1?"), qPrintable(asked));
        f.advance(0us);
        f.advance(100ms);
        QTRY_VERIFY(f.window->deployments()->card("d-3") != nullptr);
        ui::RolloutCard* undo = f.window->deployments()->card("d-3");
        QTRY_VERIFY2(undo->statusText().contains("api-service v2.0.0 (rev 3) — IN PROGRESS"),
                     qPrintable(undo->statusText()));
        // While it runs, no card offers another undo.
        QTRY_VERIFY(!undoFirst->isEnabled());
        QVERIFY(undoFirst->toolTip().contains("has a rollout in flight (d-3"));
        const auto& timeline = f.engine->latestSnapshot()->timeline;
        QVERIFY(std::any_of(timeline.begin(), timeline.end(), [](const TimelineEvent& e) {
            return e.text.contains("undo of api-service to revision 1 (v2.0.0, d-1)") &&
                   e.text.contains("2.1 leaks");
        }));
    }

    void aRejectedRequestShowsEveryReason() {
        ConsoleFixture f;
        f.engine
            ->execute(RequestDeployment{QJsonObject{{"service", "api-service"}, {"version", "v3.0.0"}}, {}})
            .waitForFinished();
        auto* form = f.window->deployments()->form();
        QTest::mouseClick(form->findChild<QPushButton*>("deploy"), Qt::LeftButton);
        // api-service is already rolling out: rollout_in_progress is the reason shown.
        QTRY_COMPARE(form->resultText(),
                     QStringLiteral("deployment rejected by the safety policy: rollout_in_progress"));
    }
};

QTEST_MAIN(TestDeploymentPanel)
#include "tst_deployment_panel.moc"
