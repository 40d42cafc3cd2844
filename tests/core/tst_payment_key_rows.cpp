// The payments layer's side of the stored key rows: the check every row gets at open, and the
// rebuild of a key from its decision row during recovery.
#include "engine/payment_key_rows.h"
#include "payments/payment_json.h"
#include "payments/payment_outcome.h"
#include "payments/payment_signal.h"

#include <QtTest>

using namespace tai;

namespace {
PaymentResponse charged() {
    PaymentResponse r;
    r.id = QStringLiteral("pay_1");
    r.traceId = QStringLiteral("0af7651916cd43dd8448eb211c80319c");
    r.outcome = PaymentOutcome::Charged;
    r.receiptId = QStringLiteral("rcpt_1");
    r.policyRan = true;
    r.score = 12;
    r.reasons = {QStringLiteral("new \"customer\"")};
    r.processing = std::chrono::microseconds(1234);
    return r;
}
PaymentSignal signal() {
    PaymentSignal s;
    s.id = QStringLiteral("pay_1");
    s.customerId = QStringLiteral("cust_7");
    s.merchantId = QStringLiteral("merc_2");
    s.amountMinor = 12'345;
    s.currency = QStringLiteral("EUR");
    s.idempotencyKey = QStringLiteral("order-77");
    return s;
}
IdempotencyRow rowWith(const QByteArray& response) {
    return IdempotencyRow{QStringLiteral("k"), canonicalPaymentHash(signal()), response, 1};
}
}  // namespace

class TestPaymentKeyRows : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aStoredResponseIsAccepted() {
        QCOMPARE(validatePaymentKeyRow(rowWith(paymentResponseJson(charged()))), QString());
    }

    void damagedOrForeignRowsAreNamed_data() {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QByteArray>("hash");
        QTest::addColumn<QString>("problem");
        const QByteArray good = paymentResponseJson(charged());
        const QByteArray hash = canonicalPaymentHash(signal());
        QTest::newRow("cut off") << good.left(good.size() / 2) << hash
                                 << "the stored response is not a JSON object";
        QTest::newRow("trailing bytes") << good + "x" << hash << "the stored response is not a JSON object";
        QTest::newRow("a byte flipped into a quote")
            << QByteArray(good).replace(10, 1, "\"") << hash << "the stored response is not a JSON object";
        QTest::newRow("not JSON") << QByteArray("garbage") << hash
                                  << "the stored response is not a JSON object";
        QTest::newRow("no status") << QByteArray(R"({"id":"p"})") << hash
                                   << "the stored response has no payment status";
        QTest::newRow("unknown status")
            << QByteArray(R"({"status":"paid"})") << hash << "the stored response has no payment status";
        QTest::newRow("an outcome that is never stored")
            << QByteArray(R"({"status":"queue_full"})") << hash
            << "the stored response's outcome, queue_full, is never stored";
        QTest::newRow("short hash") << good << hash.left(63) << "the request hash is not 64 hex digits";
        QTest::newRow("hash not hex")
            << good << QByteArray(64, 'z') << "the request hash is not 64 hex digits";
    }
    void damagedOrForeignRowsAreNamed() {
        QFETCH(QByteArray, response);
        QFETCH(QByteArray, hash);
        QFETCH(QString, problem);
        IdempotencyRow row = rowWith(response);
        row.canonicalHash = hash;
        QCOMPARE(validatePaymentKeyRow(row), problem);
    }

    // What recovery rebuilds from a decision is what the durable journal stored beside it.
    void aKeyRebuiltFromItsDecisionIsTheOneThatWasStored() {
        const AuditRow decision{1'767'225'600'000,
                                charged().traceId,
                                QStringLiteral("decision"),
                                charged().id,
                                decisionAuditJson(signal(), charged()),
                                QStringLiteral("v1")};
        const auto rebuilt = paymentKeyFromDecision(decision);
        QVERIFY(rebuilt);
        QCOMPARE(rebuilt->key, QStringLiteral("order-77"));
        QCOMPARE(rebuilt->canonicalHash, canonicalPaymentHash(signal()));
        QCOMPARE(rebuilt->response, paymentResponseJson(charged()));
        QCOMPARE(rebuilt->storedAtMs, decision.atMs);
        QCOMPARE(validatePaymentKeyRow(*rebuilt), QString());
    }

    void decisionsWithoutAStoredKeyRebuildNothing_data() {
        QTest::addColumn<bool>("keyed");
        QTest::addColumn<int>("outcome");
        QTest::newRow("no key") << false << static_cast<int>(PaymentOutcome::Charged);
        QTest::newRow("a duplicate") << true << static_cast<int>(PaymentOutcome::Duplicate);
        QTest::newRow("circuit open") << true << static_cast<int>(PaymentOutcome::CircuitOpen);
    }
    void decisionsWithoutAStoredKeyRebuildNothing() {
        QFETCH(bool, keyed);
        QFETCH(int, outcome);
        PaymentSignal s = signal();
        if (!keyed) {
            s.idempotencyKey.reset();
        }
        PaymentResponse r = charged();
        r.outcome = static_cast<PaymentOutcome>(outcome);
        const AuditRow decision{1, r.traceId, QStringLiteral("decision"), r.id, decisionAuditJson(s, r), {}};
        QVERIFY(!paymentKeyFromDecision(decision));
    }
};

QTEST_GUILESS_MAIN(TestPaymentKeyRows)
#include "tst_payment_key_rows.moc"
