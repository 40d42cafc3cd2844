// A training run in the console (issue 7), offscreen: the speed-control toolbar drives virtual
// time, the briefing follows the objectives, the debrief appears at the end, and "Save session"
// writes a file that replays the run to the same digest.
#include "breaker_card.h"
#include "breaker_panel.h"
#include "briefing_panel.h"
#include "debrief_view.h"
#include "engine/engine.h"
#include "main_window.h"
#include "scenario/scenario_session.h"
#include "scenario/what_if.h"
#include "scenario_events_model.h"
#include "training_bar.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace tai;

namespace {
struct Training {
    explicit Training(const QString& name, EngineConfig config = {}) {
        const LoadedScenario loaded = loadScenario(name);
        session = std::make_unique<ScenarioSession>(*loaded.scenario, loaded.source, std::move(config));
        QVERIFY(session->start(nullptr));
        session->pause();
        window = std::make_unique<ui::MainWindow>(session->engine());
        window->setConfirm([](const QString&, const QString&) { return std::optional<QString>(QString()); });
        window->attachTraining(*session);
    }
    std::unique_ptr<ScenarioSession> session;
    std::unique_ptr<ui::MainWindow> window;
};
}  // namespace

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Issue 17, item 10: a command given while the run is paused is accepted, but nothing moves
    // until time does; the status bar must not say "Done".
    void aCommandWhilePausedDoesNotSayDone() {
        Training t(QStringLiteral("gateway-outage"));
        QVERIFY(t.session->paused());
        QSignalSpy answered(t.window.get(), &ui::MainWindow::commandAnswered);
        ui::BreakerCard* card = t.window->breakers()->card("payment-gateway");
        QVERIFY(card);
        QTest::mouseClick(card->findChild<QPushButton*>("forceHalfOpen"), Qt::LeftButton);
        QVERIFY(answered.wait());
        QVERIFY2(!t.window->statusText().startsWith("Done"), qPrintable(t.window->statusText()));
        QVERIFY2(t.window->statusText().contains("paused"), qPrintable(t.window->statusText()));
    }

    void theToolbarStepsAndShowsVirtualTime() {
        Training t(QStringLiteral("bad-canary"));
        ui::TrainingBar* bar = t.window->trainingBar();
        QVERIFY(bar);
        QVERIFY(bar->clockText().contains(QStringLiteral("T+00:00 / 05:00 · paused")));
        QSignalSpy advanced(t.session.get(), &ScenarioSession::advanced);
        bar->stepSecondAction()->trigger();
        QVERIFY(advanced.wait());
        QVERIFY2(bar->clockText().contains(QStringLiteral("T+00:01 / 05:00")), qPrintable(bar->clockText()));
        QCOMPARE(bar->progress(), 3);       // 1 s of 300 s, in permille
        bar->stepEventAction()->trigger();  // the deploy at 0:30
        QVERIFY(advanced.wait());
        QCOMPARE(t.session->elapsedS(), 30.0);
        QVERIFY(t.session->paused());
        bar->speedAction(QStringLiteral("100×"))->trigger();
        QVERIFY(!t.session->paused());
        QCOMPARE(t.session->speed(), 100.0);
        QVERIFY(bar->clockText().contains(QStringLiteral("100×")));
        QVERIFY(bar->speedAction(QStringLiteral("100×"))->isChecked());
        bar->pauseAction()->trigger();
        QVERIFY(t.session->paused());
        // The briefing is docked and visible, with the story and the objectives.
        auto* dock = t.window->findChild<QDockWidget*>(QStringLiteral("briefingDock"));
        QVERIFY(dock && !dock->isHidden());
        QCOMPARE(t.window->briefing()->objectiveLines().size(), 2);
        QVERIFY(t.window->briefing()->objectiveLines().front().startsWith(
            QStringLiteral("Acknowledge the rollback_triggered alert within 60 s")));
    }

    void theBriefingFollowsTheObjectivesAndTheDebriefEndsTheRun() {
        Training t(QStringLiteral("bad-canary"));
        t.session->runUntil(45);  // the canary started at 30 s and was rolled back at 40 s
        // The trainee acknowledges from the console; the next advance judges it.
        QVERIFY(t.session->engine()
                    .execute(ControlAlert{QStringLiteral("rollback_triggered"),
                                          ControlAlert::Action::Acknowledge,
                                          0,
                                          {QStringLiteral("trainee"), {}}})
                    .result()
                    .ok());
        QSignalSpy advanced(t.session.get(), &ScenarioSession::advanced);
        t.window->trainingBar()->stepSecondAction()->trigger();
        QVERIFY(advanced.wait());
        const QStringList lines = t.window->briefing()->objectiveLines();
        QVERIFY2(lines[0].endsWith(QStringLiteral("✓ met after 5 s")), qPrintable(lines[0]));
        QVERIFY2(lines[1].endsWith(QStringLiteral("✓ met after 10 s")), qPrintable(lines[1]));

        QSignalSpy finished(t.session.get(), &ScenarioSession::finished);
        t.window->trainingBar()->speedAction(QStringLiteral("Max"))->trigger();
        QVERIFY(finished.wait(30'000));
        auto* views = t.window->findChild<QTabWidget*>();
        QVERIFY(views);
        QCOMPARE(views->tabText(views->currentIndex()), QStringLiteral("Debrief"));
        ui::DebriefView* debrief = t.window->debrief();
        QCOMPARE(debrief->verdict(), QStringLiteral("2 of 2 objectives met"));
        QCOMPARE(debrief->report(), t.session->report());
        QAbstractItemModelTester tester(debrief->events(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int rows = debrief->events()->rowCount();
        QCOMPARE(rows, static_cast<int>(t.session->report().value("events").toArray().size()));
        bool sawRollback = false;
        for (int row = 0; row < rows; ++row) {
            const QString what =
                debrief->events()->index(row, ui::ScenarioEventsModel::What).data().toString();
            if (debrief->events()->index(row, ui::ScenarioEventsModel::Kind).data().toString() ==
                u"rollback") {
                sawRollback = true;
                QCOMPARE(debrief->events()->index(row, ui::ScenarioEventsModel::Time).data().toString(),
                         QStringLiteral("T+00:40"));
                QVERIFY2(what.startsWith(QStringLiteral("d-1 rolled back in us-east-1: error rate")),
                         qPrintable(what));
            }
        }
        QVERIFY(sawRollback);
        // Finished: the controls that move time are off.
        QVERIFY(!t.window->trainingBar()->stepSecondAction()->isEnabled());
        QVERIFY(t.window->trainingBar()->clockText().contains(QStringLiteral("T+05:00 / 05:00 · done")));
    }

    void saveSessionWritesAFileThatReplaysTheRun() {
        Training t(QStringLiteral("gateway-outage"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.json"));
        QString suggested;
        t.window->setAskSavePath([&](const QString&, const QString& name) {
            suggested = name;
            return path;
        });
        t.session->runUntil(65);
        QVERIFY(t.session->engine()
                    .execute(ControlBreaker{QStringLiteral("payment-gateway"),
                                            BreakerControl::ForceOpen,
                                            {QStringLiteral("trainee"), QStringLiteral("hold it open")}})
                    .result()
                    .ok());
        QSignalSpy finished(t.session.get(), &ScenarioSession::finished);
        t.window->trainingBar()->speedAction(QStringLiteral("Max"))->trigger();
        QVERIFY(finished.wait(30'000));
        t.window->trainingBar()->saveSessionAction()->trigger();
        QCOMPARE(suggested, QStringLiteral("gateway-outage-session.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(saved.contains("\"command\": \"force_open\""));
        QVERIFY(saved.contains("\"at_s\": 65"));
        const auto replayed = std::get<Scenario>(parseScenario(saved));
        ScenarioSession replay(replayed, QJsonDocument::fromJson(saved).object(), EngineConfig{});
        QVERIFY(replay.start(nullptr));
        QCOMPARE(replay.runToEnd().value("audit_digest"), t.session->report().value("audit_digest"));
    }

    // Issue 15 build item 4: Debrief → "What if…" replays the run's traffic, read from its audit
    // trail, under its own policy and a chosen file, and shows what would have changed.
    void whatIfShowsWhatAnotherPolicyWouldHaveDecided() {
        EngineConfig config;
        config.auditDatabase = QString();  // in memory, as the console runs a scenario
        Training t(QStringLiteral("fraud-burst"), config);
        QTemporaryDir dir;
        const auto write = [&dir](const char* name, const QByteArray& text) {
            QFile file(dir.filePath(QLatin1String(name)));
            [&] {
                QVERIFY(file.open(QIODevice::WriteOnly));
            }();
            file.write(text);
            return file.fileName();
        };
        const QString lenient =
            write("lenient.json", R"({"version": "lenient", "payments": {"reject_score": 1000000}})");
        const QString same = write("same.json", R"({"version": "same"})");
        const QString broken = write("broken.json", R"({"payments": {"reject_scor": 200}})");
        QString chosen;
        t.window->setAskOpenPath([&chosen](const QString&) { return chosen; });
        QSignalSpy finished(t.session.get(), &ScenarioSession::finished);
        t.window->trainingBar()->speedAction(QStringLiteral("Max"))->trigger();
        QVERIFY(finished.wait(60'000));
        t.window->resize(1280, 800);
        t.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(t.window.get()));
        ui::DebriefView* debrief = t.window->debrief();
        QPushButton* whatIf = debrief->whatIfButton();
        QVERIFY(whatIf->isEnabled());

        chosen = broken;
        QTest::mouseClick(whatIf, Qt::LeftButton);
        QVERIFY2(debrief->whatIfSummary().contains(QStringLiteral("payments.reject_scor")),
                 qPrintable(debrief->whatIfSummary()));

        // Nobody is rejected at a reject score of 1 000 000: every rejection of the run is charged instead.
        chosen = lenient;
        QTest::mouseClick(whatIf, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(whatIf->isEnabled(), 120'000);
        const QString summary = debrief->whatIfSummary();
        QVERIFY2(summary.contains(QStringLiteral("lines decide differently")), qPrintable(summary));
        QTableWidget* table = debrief->whatIfTable();
        QVERIFY(!table->isHidden());
        QCOMPARE(table->rowCount(), kWhatIfShown);  // the run rejected thousands
        for (int row = 0; row < table->rowCount(); ++row) {
            QVERIFY2(table->item(row, 1)->text().startsWith(QStringLiteral("rejected")),
                     qPrintable(table->item(row, 1)->text()));
            QVERIFY2(table->item(row, 2)->text().startsWith(QStringLiteral("charged")),
                     qPrintable(table->item(row, 2)->text()));
        }
        QCOMPARE(table->horizontalHeaderItem(2)->text(), QStringLiteral("lenient.json"));

        // The run's own policy under another name: nothing differs.
        chosen = same;
        QTest::mouseClick(whatIf, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(whatIf->isEnabled(), 120'000);
        QVERIFY2(debrief->whatIfSummary().contains(QStringLiteral("0 of")),
                 qPrintable(debrief->whatIfSummary()));
        QVERIFY(table->isHidden());
    }
};

QTEST_MAIN(TestTraining)
#include "tst_training.moc"
