// The operator defects of issue 17, each tried the way an operator meets it in an incident:
// real widgets, real clicks, real modal dialogs, a real engine on a VirtualClock.
#include "alert_board_model.h"
#include "andon_board.h"
#include "andon_header.h"
#include "audit_log_view.h"
#include "breaker_card.h"
#include "breaker_panel.h"
#include "clipping_check.h"
#include "deployment_panel.h"
#include "dialog_answerer.h"
#include "flow_panel.h"
#include "kaizen_charts.h"
#include "payment_form.h"
#include "stage_chips.h"
#include "status_colors.h"
#include "time_series_chart.h"
#include "timeline_view.h"
#include "ui_test_support.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QLayout>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTableView>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
const ActiveAlert* alertNamed(ui::AlertBoardModel* model, const QString& key) {
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->alertAt(row)->key == key) {
            return model->alertAt(row);
        }
    }
    return nullptr;
}

// One step of engine time with the snapshot drawn, as the frame timer would.
void step(ConsoleFixture& f, Duration d = 100ms) {
    f.advance(d);
    QCoreApplication::processEvents();
    f.window->renderNow();
}

void outage(ConsoleFixture& f, bool down = true) {
    GatewayFault fault;
    fault.down = down;
    fault.errorRate = down ? 0.0 : 0.3;
    f.engine->execute(SetGatewayFault{fault, {}}).waitForFinished();
    f.engine->execute(SetLoad{100, 0.0, 500, {}}).waitForFinished();
    for (int i = 0; i < 20; ++i) {
        step(f);
    }
}

// A deployment with short stages and a fault on the new version in us-west-2: 3 % errors are
// marginal (a human's call), 30 % trigger the automatic rollback.
EngineConfig shortStages() {
    EngineConfig config;
    config.auditDatabase = QString();
    config.policy.deployments.stages = {{"canary", 5, 15}, {"staging", 25, 20}, {"prod", 100, 0}};
    config.policy.deployments.healthIntervalS = 3;
    return config;
}

QString deployWithErrors(ConsoleFixture& f, double errorRate) {
    f.engine
        ->execute(SetInfraFault{InfraFault{"us-west-2", "v2.0.0", errorRate, {}, {}, {}, {}}, {}, false, {}})
        .waitForFinished();
    const CommandResult deployed =
        f.engine
            ->execute(RequestDeployment{QJsonObject{{"service", "api-service"}, {"version", "v2.0.0"}}, {}})
            .result();
    return deployed.id;
}

void waitForAlert(ConsoleFixture& f, const QString& key) {
    for (int i = 0; i < 200 && !alertNamed(f.window->andonBoard()->activeModel(), key); ++i) {
        step(f);
    }
}

DialogAnswerer::Step typeReason(ConsoleFixture& f, const QString& reason) {
    return {[reason](QDialog* d) { d->findChild<QLineEdit*>()->setText(reason); },
            [&f] {
                for (int i = 0; i < 5; ++i) {
                    step(f);  // the board and the charts redraw under the open dialog
                }
            }};
}
}  // namespace

class TestIncidentConsole : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Item 1: "Roll back…" from the Andon board, answered in the real confirmation dialog while
    // snapshots keep arriving, once on a live region and once on one already rolled back.
    void rollingBackFromTheBoardThroughTheRealDialogKeepsTheConsoleUp() {
        ConsoleFixture f(shortStages());
        f.window->show();
        f.window->showView("andon");
        const QString id = deployWithErrors(f, 0.03);
        QVERIFY(!id.isEmpty());
        const QString key = "health_marginal/" + id;
        waitForAlert(f, key);
        ui::AndonBoard* board = f.window->andonBoard();
        QVERIFY(alertNamed(board->activeModel(), key));
        board->selectAlert(key);
        QCOMPARE(board->controlButton()->text(), QStringLiteral("Roll back…"));
        DialogAnswerer answers({typeReason(f, "marginal canary")});
        QSignalSpy answered(f.window.get(), &ui::MainWindow::commandAnswered);
        QTest::mouseClick(board->controlButton(), Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        QCOMPARE(answers.answered(), 1);
        QVERIFY2(f.window->lastResult()->ok(), qPrintable(f.window->lastResult()->error()));
        QVERIFY2(f.window->statusText().startsWith("Done: rollback " + id),
                 qPrintable(f.window->statusText()));

        // The same click again, now that the region is already at its old version: refused, shown.
        step(f);
        if (alertNamed(board->activeModel(), key)) {
            board->selectAlert(key);
            DialogAnswerer again({typeReason(f, "again")});
            QTest::mouseClick(board->controlButton(), Qt::LeftButton);
            QVERIFY(answered.wait(5000));
            QVERIFY(!f.window->lastResult()->ok());
            QVERIFY2(f.window->statusText().startsWith("Refused:"), qPrintable(f.window->statusText()));
        }
        step(f);
        QVERIFY(f.window->isVisible());
    }

    // Item 1: Silence… (10 min) on breaker_open through both real dialogs, with a timeline text
    // filter and "last 15 min" set, snapshots arriving under each dialog.
    void silencingThroughTheRealDialogsWithFiltersSetKeepsTheConsoleUp() {
        ConsoleFixture f;
        f.window->show();
        f.window->showView("andon");
        f.window->timeline()->textFilter()->setText("payment");
        f.window->charts()->setRangeMinutes(15);
        outage(f, false);
        const QString key = "breaker_open/payment-gateway";
        waitForAlert(f, key);
        ui::AndonBoard* board = f.window->andonBoard();
        QAbstractItemModelTester tester(board->activeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(alertNamed(board->activeModel(), key));
        board->selectAlert(key);
        QPushButton* silence = nullptr;
        for (QPushButton* b : board->findChildren<QPushButton*>()) {
            silence = b->text().startsWith("Silence") ? b : silence;
        }
        QVERIFY(silence && silence->isEnabled());
        const auto during = [&f] {
            for (int i = 0; i < 5; ++i) {
                step(f);
            }
        };
        DialogAnswerer answers({{[](QDialog* d) { d->findChild<QSpinBox*>()->setValue(10); }, during},
                                typeReason(f, "vendor is on it")});
        QSignalSpy answered(f.window.get(), &ui::MainWindow::commandAnswered);
        QTest::mouseClick(silence, Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        QCOMPARE(answers.answered(), 2);
        QVERIFY2(f.window->lastResult()->ok(), qPrintable(f.window->lastResult()->error()));
        step(f);
        const ActiveAlert* a = alertNamed(board->activeModel(), key);
        QVERIFY(a);
        QVERIFY(a->silencedAt(toEpochMs(f.engine->latestSnapshot()->at)));
        QCOMPARE(a->silenceReason, QStringLiteral("vendor is on it"));
        QVERIFY(a->silencedUntilMs - toEpochMs(f.engine->latestSnapshot()->at) <= 10 * 60 * 1000);
        for (int i = 0; i < 20; ++i) {
            step(f, 1s);  // and the console keeps drawing the 15-minute charts and the filtered timeline
        }
        QVERIFY(f.window->isVisible());
    }

    // Item 2: a marginal canary is a human's call (Roll back… offered); a triggered rollback has
    // already put the region at 0 %, so nothing is offered.
    void eachDeploymentAlertOffersTheControlThatAnswersIt_data() {
        QTest::addColumn<double>("errorRate");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("control");
        QTest::addColumn<bool>("enabled");
        QTest::newRow("marginal") << 0.03 << "health_marginal"
                                  << "Roll back…" << true;
        QTest::newRow("triggered") << 0.3 << "rollback_triggered"
                                   << "No control" << false;
    }
    void eachDeploymentAlertOffersTheControlThatAnswersIt() {
        QFETCH(double, errorRate);
        QFETCH(QString, rule);
        QFETCH(QString, control);
        QFETCH(bool, enabled);
        ConsoleFixture f(shortStages());
        const QString key = rule + "/" + deployWithErrors(f, errorRate);
        waitForAlert(f, key);
        ui::AndonBoard* board = f.window->andonBoard();
        QVERIFY2(alertNamed(board->activeModel(), key), qPrintable(key));
        board->selectAlert(key);
        QCOMPARE(board->controlButton()->text(), control);
        QCOMPARE(board->controlButton()->isEnabled(), enabled);
    }

    // Item 4: a forced probe that fails must not resolve the acknowledged CRITICAL and fire a new,
    // unacknowledged one.
    void forcingHalfOpenKeepsTheAcknowledgement() {
        ConsoleFixture f;
        f.window->setConfirm([](const QString&, const QString&) { return std::optional<QString>("on it"); });
        outage(f);
        const QString key = "breaker_open/payment-gateway";
        ui::AndonBoard* board = f.window->andonBoard();
        waitForAlert(f, key);
        board->selectAlert(key);
        QSignalSpy answered(f.window.get(), &ui::MainWindow::commandAnswered);
        QPushButton* ack = nullptr;
        for (QPushButton* b : board->findChildren<QPushButton*>()) {
            ack = b->text().startsWith("Acknowledge") ? b : ack;
        }
        QTest::mouseClick(ack, Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        step(f);
        const std::int64_t firingAt = alertNamed(board->activeModel(), key)->firingAtMs;
        QVERIFY(alertNamed(board->activeModel(), key)->acknowledged);
        const std::size_t resolvedBefore = f.engine->latestSnapshot()->alertHistory.size();

        QTest::mouseClick(
            f.window->breakers()->card("payment-gateway")->findChild<QPushButton*>("forceHalfOpen"),
            Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        bool sawHalfOpen = false;
        for (int i = 0; i < 20; ++i) {
            step(f);
            for (const BreakerView& b : f.engine->latestSnapshot()->breakers) {
                sawHalfOpen |=
                    b.status.name == u"payment-gateway" && b.status.state == BreakerState::HalfOpen;
            }
            const ActiveAlert* a = alertNamed(board->activeModel(), key);
            QVERIFY2(a, "the breaker alert resolved while the breaker was only probing");
            QVERIFY2(a->acknowledged, "the operator's acknowledgement was lost");
            QCOMPARE(a->firingAtMs, firingAt);
        }
        QVERIFY(sawHalfOpen || f.engine->latestSnapshot()->breakers.front().status.trips > 1);
        QCOMPARE(f.engine->latestSnapshot()->alertHistory.size(), resolvedBefore);
    }
    // Item 9: silencing the breaker's CRITICAL takes it off the light (DESIGN.md §11), but the
    // header must not say "All clear" while the breaker is open.
    void aSilencedCriticalIsNeverAllClear() {
        ConsoleFixture f;
        f.window->setConfirm([](const QString&, const QString&) { return std::optional<QString>("vendor"); });
        f.window->setAskMinutes([](const QString&) { return std::optional<int>(10); });
        outage(f);
        const QString key = "breaker_open/payment-gateway";
        waitForAlert(f, key);
        ui::AndonBoard* board = f.window->andonBoard();
        board->selectAlert(key);
        QSignalSpy answered(f.window.get(), &ui::MainWindow::commandAnswered);
        QPushButton* silence = nullptr;
        for (QPushButton* b : board->findChildren<QPushButton*>()) {
            silence = b->text().startsWith("Silence") ? b : silence;
        }
        QTest::mouseClick(silence, Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        step(f);
        QCOMPARE(toString(f.engine->latestSnapshot()->light), QStringLiteral("GREEN"));  // the spec's light
        ui::AndonHeader* header = f.window->header();
        QVERIFY2(!header->reason().contains("All clear"), qPrintable(header->reason()));
        QVERIFY2(header->reason().contains("SILENCED CRITICAL: payment-gateway breaker open"),
                 qPrintable(header->reason()));
        QCOMPARE(header->lightRing(), ui::severityColor(Severity::Critical));
    }
    // Item 5: at 1280x800 a forced breaker's card shows its whole state and all four controls.
    void aForcedBreakerCardShowsItsStateAndEveryControl_data() {
        QTest::addColumn<int>("control");
        QTest::newRow("forced open") << static_cast<int>(BreakerControl::ForceOpen);
        QTest::newRow("forced half-open") << static_cast<int>(BreakerControl::ForceHalfOpen);
        QTest::newRow("forced closed") << static_cast<int>(BreakerControl::ForceClosed);
    }
    void aForcedBreakerCardShowsItsStateAndEveryControl() {
        QFETCH(int, control);
        ConsoleFixture f;
        f.engine->execute(SetLoad{0, 0.0, 500, {}}).waitForFinished();
        f.window->resize(1280, 800);
        f.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        f.engine
            ->execute(ControlBreaker{"payment-gateway", static_cast<BreakerControl>(control), {"ana", {}}})
            .waitForFinished();
        step(f);
        QCoreApplication::processEvents();
        ui::BreakerCard* card = f.window->breakers()->card("payment-gateway");
        QVERIFY2(card->stateText().contains("FORCED"), qPrintable(card->stateText()));
        // Layout settles over a few posted events after the text changes.
        QTRY_VERIFY2(clippedText(card).isEmpty(), qPrintable(clippedText(card).join("\n")));
        QTRY_VERIFY2(clippedText(f.window->breakers()).isEmpty(),
                     qPrintable(clippedText(f.window->breakers()).join("\n")));
    }
    // Item 6: at 1280x800 the event timeline and the audit log show a useful number of rows, and
    // dragging the dock's edge up gives them a dozen and more.
    void theTimelineAndAuditLogAreTallEnoughToRead() {
        ConsoleFixture f;
        f.window->resize(1280, 800);
        f.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        auto* table = f.window->timeline()->findChild<QTableView*>();
        auto* dock = qobject_cast<QDockWidget*>(f.window->timeline()->parentWidget());
        QVERIFY(table && dock);
        const auto rows = [table] {
            return table->viewport()->height() / table->verticalHeader()->defaultSectionSize();
        };
        QTRY_VERIFY2(rows() >= 5, qPrintable(QString::number(rows())));
        f.window->resizeDocks({dock}, {460}, Qt::Vertical);  // what dragging the splitter does
        QTRY_VERIFY2(rows() >= 12, qPrintable(QString::number(rows())));
        auto* audit = f.window->auditLog()->findChild<QTableView*>();
        auto* auditDock = qobject_cast<QDockWidget*>(f.window->auditLog()->parentWidget());
        auditDock->raise();
        QTRY_VERIFY2(audit->viewport()->height() / audit->verticalHeader()->defaultSectionSize() >= 10,
                     qPrintable(QString::number(audit->viewport()->height())));
    }
    // Item 3: Ctrl+I with the Faults tab in front of the Injector (or the Injector closed) brings
    // the payment form forward before it takes the keys.
    void ctrlIBringsThePaymentFormForwardBeforeTyping_data() {
        QTest::addColumn<bool>("closed");
        QTest::newRow("behind the Faults tab") << false;
        QTest::newRow("injector closed") << true;
    }
    void ctrlIBringsThePaymentFormForwardBeforeTyping() {
        QFETCH(bool, closed);
        ConsoleFixture f;
        f.window->show();
        QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
        auto* injector = f.window->findChild<QDockWidget*>("injectorDock");
        // The dock tab bar that holds the Injector and the Faults panel; its current tab is in front.
        QTabBar* docks = nullptr;
        for (QTabBar* bar : f.window->findChildren<QTabBar*>(Qt::FindDirectChildrenOnly)) {
            for (int i = 0; i < bar->count(); ++i) {
                docks = bar->tabText(i) == u"Faults" ? bar : docks;
            }
        }
        QVERIFY(docks);
        const auto front = [docks] {
            return docks->isVisible() ? docks->tabText(docks->currentIndex()) : QString();
        };
        for (int i = 0; i < docks->count(); ++i) {
            if (docks->tabText(i) == u"Faults") {
                QTest::mouseClick(docks, Qt::LeftButton, {},
                                  docks->tabRect(i).center());  // the operator looks at Faults
            }
        }
        QTRY_COMPARE(front(), QStringLiteral("Faults"));
        if (closed) {
            injector->close();
            QTRY_VERIFY(!injector->isVisible());
        }
        QTest::keyClick(f.window.get(), Qt::Key_I, Qt::ControlModifier);
        QTRY_VERIFY(injector->isVisible());
        QTRY_COMPARE(front(), QStringLiteral("Injector"));
        QLineEdit* customer = f.window->paymentForm()->field("customer_id");
        QTRY_VERIFY(customer->hasFocus());
        customer->selectAll();
        QTest::keyClicks(customer, "cust_42");
        QCOMPARE(customer->text(), QStringLiteral("cust_42"));
    }
    // Item 7: the KPI tiles show their whole sample count, the latency chart is in a unit where
    // the line is visible, and the 15-minute axis has distinct labels.
    void kpiTilesAndChartsReadAtAGlance() {
        ConsoleFixture f;
        f.window->resize(1280, 800);
        f.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        f.engine->execute(SetLoad{5, 0.0, 500, {}}).waitForFinished();  // too few for the rates
        for (int i = 0; i < 30; ++i) {
            step(f, 1s);
        }
        QTRY_VERIFY2(clippedText(f.window->header()).isEmpty(),
                     qPrintable(clippedText(f.window->header()).join("\n")));
        ui::TimeSeriesChart* latency = f.window->charts()->latencyChart();
        QVERIFY2(latency->seriesName(1).contains("µs"), qPrintable(latency->seriesName(1)));
        QVERIFY2(latency->yMax() <= 1000, qPrintable(QString::number(latency->yMax())));
        for (const int minutes : {5, 15, 60}) {
            f.window->charts()->setRangeMinutes(minutes);
            QStringList labels = f.window->charts()->latencyChart()->timeLabels();
            QVERIFY2(labels.size() >= 3 && labels.removeDuplicates() == 0, qPrintable(labels.join(", ")));
        }
    }
    // Item 12: a closed dock comes back from the View menu.
    void theViewMenuBringsBackEveryDock() {
        ConsoleFixture f;
        f.window->show();
        auto* view = f.window->findChild<QMenu*>("viewMenu");
        QVERIFY(view);
        for (QDockWidget* dock : f.window->findChildren<QDockWidget*>()) {
            dock->close();
            QTRY_VERIFY(!dock->isVisible());
            QAction* toggle = nullptr;
            for (QAction* a : view->actions()) {
                toggle = a->text() == dock->windowTitle() ? a : toggle;
            }
            QVERIFY2(toggle, qPrintable(dock->windowTitle()));
            toggle->trigger();
            QTRY_VERIFY(dock->isVisible());
        }
    }
    // Item 8: chip text reads on every chip (4.5:1 at least), a stage not yet reached included;
    // and the words in the status lights read on their colours.
    void chipAndLightTextHasContrast() {
        ui::StageChips chips;
        const QStringList stages{"canary", "staging", "prod"};
        const QList<int> weights{5, 25, 100};
        for (const QString stage : {"pending", "canary", "rolled_back", "done", "cancelled"}) {
            RegionView region;
            region.region = "us-west-2";
            region.stage = stage;
            region.stageIndex = stage == u"canary" ? 0 : -1;
            chips.showRegion(region, stages, weights);
            for (const auto& [fill, text] : chips.chipColors()) {
                QVERIFY2(ui::contrastRatio(fill, text) >= 4.5,
                         qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                                        .arg(stage, text.name(), fill.name())
                                        .arg(ui::contrastRatio(fill, text), 0, 'f', 2)));
            }
        }
        for (const QColor fill :
             {ui::lightColor(AndonLight::Green), ui::lightColor(AndonLight::Yellow),
              ui::lightColor(AndonLight::Red), ui::breakerColor(BreakerState::HalfOpen)}) {
            QVERIFY2(ui::contrastRatio(fill, ui::readableTextOn(fill)) >= 4.5, qPrintable(fill.name()));
        }
    }
};

QTEST_MAIN(TestIncidentConsole)
#include "tst_incident_console.moc"
