// DESIGN.md §4.4, row by row.
#include "pipeline_fixture.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(tai::PaymentOutcome)

class TestIdempotency : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A first signal with key "k" that ends in `first`, then the same body again.
    void storesOnlyWhenSomethingWasDecidedOrAttempted_data() {
        QTest::addColumn<QString>("customer");
        QTest::addColumn<QString>("sim");
        QTest::addColumn<bool>("gatewayDown");
        QTest::addColumn<PaymentOutcome>("first");
        QTest::addColumn<PaymentOutcome>("second");

        QTest::newRow("charged is stored")
            << "cust_1"
            << "ok" << false << PaymentOutcome::Charged << PaymentOutcome::Duplicate;
        QTest::newRow("rejected is stored")
            << "cust_666"
            << "ok" << false << PaymentOutcome::Rejected << PaymentOutcome::Duplicate;
        QTest::newRow("gateway_error is stored")
            << "cust_1"
            << "error" << false << PaymentOutcome::GatewayError << PaymentOutcome::Duplicate;
        QTest::newRow("gateway_timeout is stored")
            << "cust_1"
            << "timeout" << false << PaymentOutcome::GatewayTimeout << PaymentOutcome::Duplicate;
        QTest::newRow("circuit_open is not stored: a retry is safe")
            << "cust_1"
            << "ok" << true << PaymentOutcome::CircuitOpen << PaymentOutcome::Charged;
    }

    void storesOnlyWhenSomethingWasDecidedOrAttempted() {
        QFETCH(QString, customer);
        QFETCH(QString, sim);
        QFETCH(bool, gatewayDown);
        QFETCH(PaymentOutcome, first);
        QFETCH(PaymentOutcome, second);

        PipelineFixture f;
        if (gatewayDown) {
            f.pipeline.breaker().forceOpen(QStringLiteral("test"));
        }
        PaymentSignal s = f.payment(QStringLiteral("p1"), customer);
        s.idempotencyKey = QStringLiteral("k");
        s.sim = SimOverride{sim == u"ok"      ? GatewayForcedOutcome::Ok
                            : sim == u"error" ? GatewayForcedOutcome::Error
                                              : GatewayForcedOutcome::Timeout,
                            0};
        f.send(s);
        f.clock.advanceBy(31s);  // a timeout answers after the action timeout
        QCOMPARE(f.responses.size(), std::size_t{1});
        QCOMPARE(toString(f.responses.back().outcome), toString(first));
        f.pipeline.breaker().forceClosed(QStringLiteral("test"));
        s.id = QStringLiteral("p2");
        s.sim = SimOverride{GatewayForcedOutcome::Ok, 0};
        const auto r2 = f.send(s);
        QVERIFY(r2);
        QCOMPARE(toString(r2->outcome), toString(second));
        if (second == PaymentOutcome::Duplicate) {
            QCOMPARE(toString(*r2->original), toString(first));
            QCOMPARE(r2->httpStatus(), httpStatusFor(first));
            QCOMPARE(r2->id, QStringLiteral("p2"));
        }
    }

    void duplicateReturnsTheStoredResponseWithoutChargingAgain() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("p1"));
        s.idempotencyKey = QStringLiteral("order-42");
        const auto first = f.send(s);
        QCOMPARE(toString(first->outcome), QStringLiteral("charged"));
        s.id = QStringLiteral("p2");
        s.timestamp = f.clock.now() + 5s;  // id, timestamp and sim are not part of the body
        s.sim = SimOverride{GatewayForcedOutcome::Error, 0};
        const auto again = f.send(s);
        QCOMPARE(toString(again->outcome), QStringLiteral("duplicate"));
        QCOMPARE(again->receiptId, first->receiptId);
        QCOMPARE(f.pipeline.metrics().total(static_cast<int>(PaymentOutcome::Charged)), 1u);
    }

    void aDifferentBodyIsAConflict_data() {
        QTest::addColumn<QString>("field");
        QTest::newRow("customer") << "customer";
        QTest::newRow("merchant") << "merchant";
        QTest::newRow("amount") << "amount";
        QTest::newRow("currency") << "currency";
    }

    void aDifferentBodyIsAConflict() {
        QFETCH(QString, field);
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("p1"));
        s.idempotencyKey = QStringLiteral("k");
        f.send(s);
        if (field == u"customer")
            s.customerId = QStringLiteral("cust_2");
        if (field == u"merchant")
            s.merchantId = QStringLiteral("merc_2");
        if (field == u"amount")
            s.amountMinor += 1;
        if (field == u"currency")
            s.currency = QStringLiteral("EUR");
        const auto r = f.send(s);
        QCOMPARE(toString(r->outcome), QStringLiteral("idempotency_conflict"));
        QCOMPARE(r->httpStatus(), 409);
        QVERIFY(r->error.startsWith(QStringLiteral("idempotency_key:")));
    }

    void keysExpireAfter24Hours() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("p1"));
        s.idempotencyKey = QStringLiteral("k");
        f.send(s);
        f.clock.advanceBy(24h - 1s);
        QCOMPARE(toString(f.send(s)->outcome), QStringLiteral("duplicate"));
        f.clock.advanceBy(1s);
        QCOMPARE(toString(f.send(s)->outcome), QStringLiteral("charged"));
    }

    void aKeyStillInFlightIsNotChargedTwice() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("p1"));
        s.idempotencyKey = QStringLiteral("k");
        s.sim = SimOverride{GatewayForcedOutcome::Ok, 2000};
        QVERIFY(!f.send(s));  // in flight for 2 s
        const auto concurrent = f.send(s);
        QCOMPARE(toString(concurrent->outcome), QStringLiteral("idempotency_conflict"));
        f.clock.advanceBy(2s);
        QCOMPARE(toString(f.send(s)->outcome), QStringLiteral("duplicate"));
        QCOMPARE(f.pipeline.metrics().total(static_cast<int>(PaymentOutcome::Charged)), 1u);
    }

    void replaysDoNotCountTowardsVelocity() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("p"));
        s.idempotencyKey = QStringLiteral("k");
        for (int i = 0; i < 10; ++i) {
            f.send(s);
        }
        s.idempotencyKey.reset();
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(toString(f.send(s)->outcome), QStringLiteral("charged"));  // 2nd..5th in the window
        }
        QCOMPARE(toString(f.send(s)->outcome), QStringLiteral("rejected"));  // 6th
    }
};

QTEST_GUILESS_MAIN(TestIdempotency)
#include "tst_idempotency.moc"
