// The Andon board, the trace view and "Why was this blocked?" in the console (issue 6), offscreen
// on a real engine driven by a VirtualClock.
#include "alert_board_model.h"
#include "andon_board.h"
#include "audit_log_view.h"
#include "kaizen_charts.h"
#include "payment_form.h"
#include "time_series_chart.h"
#include "trace_view.h"
#include "ui_test_support.h"
#include "why_blocked_dialog.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
QByteArray blacklisted() {
    return "{\"customer_id\":\"cust_666\",\"merchant_id\":\"m\",\"amount\":\"1.00\",\"currency\":\"USD\"}";
}

// An engine with the gateway down and some load, so breaker_open fires at once.
void outage(ConsoleFixture& f) {
    GatewayFault down;
    down.down = true;
    f.engine->execute(SetGatewayFault{down, {}}).waitForFinished();
    f.engine->execute(SetLoad{100, 0.0, 500, {}}).waitForFinished();
    for (int i = 0; i < 20; ++i) {
        f.advance(100ms);
    }
}

const ActiveAlert* alertNamed(ui::AlertBoardModel* model, const QString& key) {
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->alertAt(row)->key == key) {
            return model->alertAt(row);
        }
    }
    return nullptr;
}
}  // namespace

class TestAndonBoard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theBoardListsFiringAlertsAndOffersTheirControl() {
        ConsoleFixture f;
        ui::AndonBoard* board = f.window->andonBoard();
        QAbstractItemModelTester active(board->activeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester history(board->historyModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
        outage(f);
        QTRY_VERIFY(alertNamed(board->activeModel(), "breaker_open/payment-gateway"));
        const ActiveAlert* open = alertNamed(board->activeModel(), "breaker_open/payment-gateway");
        QCOMPARE(toString(open->state), QStringLiteral("firing"));
        board->selectAlert("breaker_open/payment-gateway");
        QCOMPARE(board->controlButton()->text(), QStringLiteral("Force half-open"));
        QVERIFY(board->controlButton()->isEnabled());
        const QModelIndex severity = board->activeModel()->index(0, ui::AlertBoardModel::Severity);
        QCOMPARE(severity.data().toString(), QStringLiteral("CRITICAL"));

        // Force half-open from the board goes to the breaker (with the gateway still down, the
        // probe then fails and it opens again, but the operator's command is on the timeline).
        QTest::mouseClick(board->controlButton(), Qt::LeftButton);
        const auto forced = [&] {
            f.advance(100ms);
            for (const TimelineEvent& e : f.engine->latestSnapshot()->timeline) {
                if (e.kind == "operator" && e.text.contains("force_half_open")) {
                    return true;
                }
            }
            return false;
        };
        QTRY_VERIFY(forced());
    }

    void acknowledgeAndSilenceFromTheBoardAreAudited() {
        ConsoleFixture f;
        f.window->setConfirm([](const QString&, const QString&) { return std::optional<QString>("on it"); });
        f.window->setAskMinutes([](const QString&) { return std::optional<int>(15); });
        ui::AndonBoard* board = f.window->andonBoard();
        outage(f);
        QTRY_VERIFY(alertNamed(board->activeModel(), "breaker_open/payment-gateway"));
        board->selectAlert("breaker_open/payment-gateway");
        QPushButton* ack = nullptr;
        QPushButton* silence = nullptr;
        for (QPushButton* b : board->findChildren<QPushButton*>()) {
            ack = b->text().startsWith("Acknowledge") ? b : ack;
            silence = b->text().startsWith("Silence") ? b : silence;
        }
        QVERIFY(ack && silence);
        QTest::mouseClick(ack, Qt::LeftButton);
        QTest::mouseClick(silence, Qt::LeftButton);
        f.advance(100ms);
        QTRY_VERIFY(alertNamed(board->activeModel(), "breaker_open/payment-gateway") &&
                    alertNamed(board->activeModel(), "breaker_open/payment-gateway")->acknowledged);
        f.advance(100ms);
        const ActiveAlert* a = alertNamed(board->activeModel(), "breaker_open/payment-gateway");
        QCOMPARE(a->ackNote, QStringLiteral("on it"));
        QVERIFY(a->silencedAt(toEpochMs(f.engine->latestSnapshot()->at)));
        // Silenced: the breaker alert no longer sets the light (the rate alerts are still pending).
        QCOMPARE(toString(f.engine->latestSnapshot()->light), QStringLiteral("GREEN"));
        const QString handled =
            board->activeModel()->index(0, ui::AlertBoardModel::Handling).data().toString();
        QVERIFY2(handled.contains("ACK") && handled.contains("silenced"), qPrintable(handled));
    }

    void aRejectedPaymentExplainsItselfFromTheInjector() {
        ConsoleFixture f;
        ui::PaymentForm* form = f.window->paymentForm();
        QVERIFY(!form->whyButton()->isVisibleTo(form));
        form->field("customer_id")->setText("cust_666");
        QTest::mouseClick(form->findChild<QPushButton*>("sendPayment"), Qt::LeftButton);
        QTRY_VERIFY(form->resultText().contains("rejected"));
        QVERIFY(form->whyButton()->isVisibleTo(form));
        QTest::mouseClick(form->whyButton(), Qt::LeftButton);
        QTRY_VERIFY(f.window->lastWhyDialog());
        ui::WhyBlockedDialog* why = f.window->lastWhyDialog();
        QVERIFY2(why->verdict().contains("score 100 ≥ 50") && why->verdict().contains("blacklist (+100)"),
                 qPrintable(why->verdict()));
        // Each rule with its weight, then the total.
        QTableWidget* rules = why->rules();
        QCOMPARE(rules->rowCount(), 5);
        QVERIFY(rules->item(0, 0)->text().startsWith("blacklist"));
        QCOMPARE(rules->item(0, 1)->text(), QStringLiteral("100"));
        QCOMPARE(rules->item(0, 2)->text(), QStringLiteral("fired"));
        QCOMPARE(rules->item(4, 1)->text(), QStringLiteral("100"));
        QCOMPARE(rules->item(4, 2)->text(), QStringLiteral("REJECT"));
    }

    void theTraceViewFindsAndDrawsAKeptTrace() {
        ConsoleFixture f;
        const PaymentResponse r = [&] {
            auto future = f.engine->submitPayment(blacklisted());
            future.waitForFinished();
            return future.result();
        }();
        ui::TraceView* view = f.window->traces();
        QSignalSpy searched(view, &ui::TraceView::searched);
        view->traceField()->setText(r.traceId);
        view->search();  // answered off the GUI thread
        QVERIFY(searched.wait(5000));
        QCOMPARE(view->results()->rowCount(), 1);
        QVERIFY(view->current());
        QCOMPARE(view->current()->traceId(), r.traceId);
        QCOMPARE(view->gantt()->selectedSpan(), 0);
        view->gantt()->selectSpan(1);
        QCOMPARE(view->gantt()->selectedSpan(), 1);
        QSignalSpy notKept(view, &ui::TraceView::notKept);
        view->showTrace(QString(32, QLatin1Char('f')));  // never kept
        QVERIFY(notKept.wait(5000));
    }

    // Issue 13: the board's rollback path on a region that is already rolled back. The control
    // is refused, the console says so with the reason and stays up, the timeline row says refused,
    // and the audit row carries the refusal. New snapshots arrive while the confirmation dialog is
    // open, so the model under the board resets meanwhile (that used to kill the console).
    void rollingBackAnAlreadyRolledBackRegionIsRefusedNotACrash() {
        EngineConfig config;
        config.auditDatabase = QString();
        config.policy.deployments.stages = {{"canary", 5, 15}, {"staging", 25, 20}, {"prod", 100, 0}};
        config.policy.deployments.healthIntervalS = 3;
        ConsoleFixture f(config);
        // 3 % errors in us-west-2: marginal, a human's call (health_marginal offers Roll back…).
        QVERIFY(f.engine
                    ->execute(
                        SetInfraFault{InfraFault{"us-west-2", "v2.0.0", 0.03, {}, {}, {}, {}}, {}, false, {}})
                    .result()
                    .ok());
        const CommandResult deployed =
            f.engine
                ->execute(
                    RequestDeployment{QJsonObject{{"service", "api-service"}, {"version", "v2.0.0"}}, {}})
                .result();
        QVERIFY2(deployed.ok(), qPrintable(deployed.error()));
        ui::AndonBoard* board = f.window->andonBoard();
        const QString key = "health_marginal/" + deployed.id;
        const auto step = [&f] {
            f.advance(100ms);
            QCoreApplication::processEvents();  // the snapshot reaches the window
            f.window->renderNow();
        };
        for (int i = 0; i < 100 && !alertNamed(board->activeModel(), key); ++i) {
            step();
        }
        QVERIFY(alertNamed(board->activeModel(), key));
        QCOMPARE(alertNamed(board->activeModel(), key)->region, QStringLiteral("us-west-2"));
        // Someone else rolls the region back first, from its rollout card.
        QVERIFY(
            f.engine->execute(ControlRollout{deployed.id, RolloutControl::Rollback, "us-west-2", {"bob", {}}})
                .result()
                .ok());
        f.advance(100ms);
        board->selectAlert(key);
        QCOMPARE(board->controlButton()->text(), QStringLiteral("Roll back…"));
        // The confirmation dialog is modal: snapshots keep coming and the board redraws under it.
        const quint64 before = board->activeModel()->generation();
        f.window->setConfirm([&](const QString&, const QString&) {
            for (int i = 0; i < 5; ++i) {
                step();
            }
            return std::optional<QString>("customer report");
        });
        QSignalSpy answered(f.window.get(), &ui::MainWindow::commandAnswered);
        QTest::mouseClick(board->controlButton(), Qt::LeftButton);
        QVERIFY(answered.wait(5000));
        QVERIFY(board->activeModel()->generation() > before);  // the board was redrawn under the dialog
        const auto result = f.window->lastResult();
        QVERIFY(result && !result->ok());
        QCOMPARE(static_cast<int>(result->refusal->code), static_cast<int>(RefusalCode::Conflict));
        QVERIFY2(f.window->statusText().startsWith("Refused: rollback " + deployed.id + " us-west-2"),
                 qPrintable(f.window->statusText()));
        QVERIFY2(f.window->statusText().contains("us-west-2 is rolled_back"),
                 qPrintable(f.window->statusText()));
        // The timeline says refused.
        f.advance(100ms);
        const SnapshotPtr s = f.engine->latestSnapshot();
        const auto refused = std::find_if(s->timeline.rbegin(), s->timeline.rend(),
                                          [](const TimelineEvent& e) { return e.refused; });
        QVERIFY(refused != s->timeline.rend());
        QVERIFY2(refused->text.contains("REFUSED (conflict)"), qPrintable(refused->text));
        // And the audit row carries the refusal.
        f.engine->flushAudit().waitForFinished();
        AuditQuery q;
        q.kinds = {"operator"};
        q.subject = deployed.id;
        auto page = f.engine->queryAudit(q);
        page.waitForFinished();
        const auto rows = page.result().records;
        QCOMPARE(rows.size(), std::size_t{2});  // bob's rollback, then the refused one
        const QJsonObject last = QJsonDocument::fromJson(rows.back().row.payload).object();
        QCOMPARE(last["outcome"].toString(), QStringLiteral("refused"));
        QCOMPARE(last["code"].toString(), QStringLiteral("conflict"));
        QCOMPARE(last["field"].toString(), QStringLiteral("region"));
        QCOMPARE(last["reason"].toString(), QStringLiteral("customer report"));
    }

    void kaizenChartsReachBackAnHourAndShowTheMetricSet() {
        ConsoleFixture f;
        f.engine->execute(SetLoad{20, 0.0, 500, {}}).waitForFinished();
        for (int s = 0; s < 20 * 60; ++s) {
            f.advance(1s);
        }
        ui::KaizenCharts* charts = f.window->charts();
        QTRY_VERIFY(charts->throughputChart()->pointCount(0) > 0);
        QCOMPARE(charts->throughputChart()->pointCount(0), 300);  // 5 min, a point a second
        charts->setRangeMinutes(15);
        QCOMPARE(charts->throughputChart()->pointCount(0), 300);  // 15 min in 3 s points
        charts->setRangeMinutes(60);
        QVERIFY(charts->throughputChart()->pointCount(0) >= 99 &&
                charts->throughputChart()->pointCount(0) <= 101);
        QVERIFY(charts->summaryText().contains("Breaker trips 0"));
        QVERIFY(charts->summaryText().contains("MTTR n/a"));
    }

    void whyVerdictsSayWhatHappened_data() {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("words");
        QTest::newRow("circuit open") << int(PaymentOutcome::CircuitOpen) << "breaker was open";
        QTest::newRow("shed") << int(PaymentOutcome::QueueFull) << "admission queue was full (4096 of 4096";
        QTest::newRow("gateway error") << int(PaymentOutcome::GatewayError) << "gateway call failed";
    }
    void whyVerdictsSayWhatHappened() {
        QFETCH(int, outcome);
        QFETCH(QString, words);
        PaymentTraceFacts facts;
        facts.outcome = static_cast<PaymentOutcome>(outcome);
        facts.breaker = BreakerState::Open;
        facts.queuePosition = 4096;
        facts.queueCapacity = 4096;
        facts.error = "gateway returned an error";
        const PaymentTrace t(QString(32, QLatin1Char('a')), {}, {}, facts);
        QVERIFY2(ui::whyVerdict(t).contains(words), qPrintable(ui::whyVerdict(t)));
    }
};

QTEST_MAIN(TestAndonBoard)
#include "tst_andon_board.moc"
