// Operator controls on the console: every click becomes a command, and its effect shows in the
// next snapshot.
#include "andon_header.h"
#include "breaker_card.h"
#include "breaker_panel.h"
#include "fault_panel.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QLayout>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace tai;
using namespace std::chrono_literals;

namespace {
// Kept outside the test class, and free of raw strings: moc's tokenizer loses track of a class
// whose body contains R"(",...)" and then silently generates nothing for it.
QByteArray paymentFrom(int customer) {
    return "{\"customer_id\":\"c" + QByteArray::number(customer) +
           "\",\"merchant_id\":\"m\",\"amount\":\"1.00\",\"currency\":\"USD\"}";
}
// The audit store's test hook: commits fail with SQLITE_FULL (13) while `failing`.
struct StorageFault {
    std::atomic<bool> failing{false};
    int operator()() const { return failing ? 13 : 0; }
};
}  // namespace

class TestConsoleControls : public QObject {
    Q_OBJECT
private:
    static QPushButton* button(ui::BreakerCard* card, const char* name) {
        return card->findChild<QPushButton*>(name);
    }

private Q_SLOTS:
    // Issue 14: when audit commits fail, the storage breaker's card goes red and says why.
    void aFailingDiskShowsOnTheStorageBreakerRedWithTheError() {
        QTemporaryDir dir;
        auto fault = std::make_shared<StorageFault>();
        EngineConfig config;
        config.auditDatabase = dir.filePath(QStringLiteral("audit.sqlite"));
        config.auditShutdownGrace = 100ms;
        config.auditFault = [fault] {
            return (*fault)();
        };
        ConsoleFixture f(config);
        f.advance(100ms);
        ui::BreakerCard* card = f.window->breakers()->card("storage");
        QTRY_VERIFY((card = f.window->breakers()->card("storage")) != nullptr);
        QTRY_VERIFY2(card->stateText().contains("CLOSED"), qPrintable(card->stateText()));
        // A full card, right under the gateway's and above the compact regional ones.
        QLayout* cards = card->parentWidget()->layout();
        ui::BreakerCard* region = f.window->breakers()->card("deploy:us-west-2");
        QVERIFY(region);
        QCOMPARE(cards->indexOf(f.window->breakers()->card("payment-gateway")), 0);
        QCOMPARE(cards->indexOf(card), 1);
        QVERIFY(cards->indexOf(region) > 1);
        fault->failing = true;
        f.engine->submitPayment(paymentFrom(1));  // its commit fails
        QTRY_VERIFY_WITH_TIMEOUT((f.advance(1ms), card->stateText().contains("OPEN")), 5000);
        QVERIFY2(!card->stateText().contains("HALF"), qPrintable(card->stateText()));
        QTRY_VERIFY2((f.advance(1ms), card->detailText().contains("database or disk is full")),
                     qPrintable(card->detailText()));
        QVERIFY(card->detailText().startsWith("Failing: audit commits"));
        QTRY_COMPARE(toString(f.engine->latestSnapshot()->light), QStringLiteral("RED"));
        fault->failing = false;  // space again: the card loses the error once commits go through
        QTRY_VERIFY_WITH_TIMEOUT((f.advance(100ms), card->stateText().contains("CLOSED")), 10000);
        QVERIFY2(!card->detailText().contains("Failing"), qPrintable(card->detailText()));
    }

    void forceHalfOpenPostsTheCommandAndTheNextSnapshotShowsIt() {
        ConsoleFixture f;
        ui::BreakerCard* card = f.window->breakers()->card("payment-gateway");
        QVERIFY(card);
        QVERIFY(card->stateText().contains("CLOSED"));
        const auto before = f.engine->latestSnapshot()->sequence;
        QTest::mouseClick(button(card, "forceHalfOpen"), Qt::LeftButton);
        // The click posted the command to the engine thread; this advance is queued behind it and
        // fires the extra snapshot that a transition schedules "now" on the virtual clock.
        f.advance(0us);
        const auto& timeline = f.engine->latestSnapshot()->timeline;
        QVERIFY(timeline.size() >= 2);
        QCOMPARE(timeline[timeline.size() - 2].kind, QStringLiteral("operator"));  // the command, audited
        QCOMPARE(timeline.back().kind, QStringLiteral("breaker_transition"));      // and its effect
        QTRY_VERIFY(f.engine->latestSnapshot()->sequence > before);
        QTRY_VERIFY2(card->stateText().contains("HALF-OPEN"), qPrintable(card->stateText()));
        QVERIFY(card->stateText().contains("FORCED"));
        QVERIFY(card->detailText().contains("Probes in flight 0 / 3"));
    }

    void forceOpenAsksForConfirmationAndCarriesTheReason() {
        ConsoleFixture f;
        QString asked;
        f.window->setConfirm([&asked](const QString&, const QString& question) -> std::optional<QString> {
            asked = question;
            return QStringLiteral("gateway vendor maintenance");
        });
        QTest::mouseClick(button(f.window->breakers()->card("payment-gateway"), "forceOpen"), Qt::LeftButton);
        QVERIFY(asked.contains("OPEN"));
        f.advance(0us);
        const auto& timeline = f.engine->latestSnapshot()->timeline;
        QVERIFY(std::any_of(timeline.begin(), timeline.end(), [](const TimelineEvent& e) {
            return e.text.contains("gateway vendor maintenance");
        }));
        QTRY_VERIFY(f.window->breakers()->card("payment-gateway")->stateText().contains("OPEN  [FORCED"));
        QTRY_VERIFY(f.window->breakers()
                        ->card("payment-gateway")
                        ->detailText()
                        .contains("Held open by the operator"));
    }

    void cancellingTheConfirmationSendsNothing() {
        ConsoleFixture f;
        f.window->setConfirm(
            [](const QString&, const QString&) -> std::optional<QString> { return std::nullopt; });
        QTest::mouseClick(button(f.window->breakers()->card("payment-gateway"), "forceClosed"),
                          Qt::LeftButton);
        f.advance(200ms);
        QTRY_COMPARE(f.window->renderedSequence(), f.engine->latestSnapshot()->sequence);
        QVERIFY(!f.engine->latestSnapshot()->breakers[0].status.forced);
        for (const auto& e : f.engine->latestSnapshot()->timeline) {
            QVERIFY(e.kind != "operator");
        }
    }

    void outageTurnsTheLightRedAndShowsTheFault() {
        ConsoleFixture f;
        f.window->faults()->outageBox()->setChecked(true);  // sends the fault at once
        QTRY_VERIFY(f.engine->latestSnapshot()->gatewayFault.down || (f.advance(0us), false));
        for (int i = 0; i < 5; ++i) {
            f.engine->submitPayment(paymentFrom(i)).waitForFinished();
        }
        f.advance(100ms);
        QTRY_COMPARE(f.window->header()->lightWord(), QStringLiteral("RED"));
        QVERIFY(f.window->header()->reason().contains("payment-gateway breaker open"));
        QVERIFY(f.window->header()->faultText().contains("outage"));
        QVERIFY(f.window->breakers()->card("payment-gateway")->detailText().contains("Half-open in 30 s"));
    }

    void ratesBelowTheMinimumSayNotEnoughData() {
        ConsoleFixture f;
        f.engine->submitPayment(paymentFrom(1)).waitForFinished();
        f.advance(100ms);
        QTRY_COMPARE(f.window->renderedSequence(), f.engine->latestSnapshot()->sequence);
        QCOMPARE(f.window->header()->tileValue("Success rate"), QStringLiteral("n/a"));
        QCOMPARE(f.window->header()->lightWord(), QStringLiteral("GREEN"));
    }
};

QTEST_MAIN(TestConsoleControls)
#include "tst_console_controls.moc"
