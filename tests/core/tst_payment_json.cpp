// The hand-written response and decision JSON (payment_json.cpp) must be byte for byte what
// QJsonDocument writes, since stored decisions and HTTP bodies were written that way before.
// The oracle below is the straightforward QJsonObject version.
#include "base/money.h"
#include "payments/payment_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

using namespace tai;
using namespace std::chrono_literals;

namespace {
QByteArray oracle(const PaymentResponse& r, const PaymentSignal* s) {
    QJsonObject o{{"status", toString(r.outcome)},
                  {"id", r.id},
                  {"trace_id", r.traceId},
                  {"processing_ms", std::round(toSeconds(r.processing) * 1e6) / 1e3},
                  {"breaker", toString(r.breakerAfter)}};
    if (r.original) {
        o.insert("original", toString(*r.original));
    }
    if (r.policyRan) {
        o.insert("score", r.score);
        QJsonArray reasons;
        for (const QString& reason : r.reasons) {
            reasons.append(reason);
        }
        o.insert("reasons", reasons);
    }
    if (!r.receiptId.isEmpty()) {
        o.insert("receipt_id", r.receiptId);
    }
    if (!r.error.isEmpty()) {
        o.insert("error", r.error);
    }
    if (r.retryAfter.count() > 0) {
        o.insert("retry_after_s", std::ceil(toSeconds(r.retryAfter)));
    }
    if (s != nullptr && !s->customerId.isEmpty()) {
        o.insert("customer_id", s->customerId);
        o.insert("merchant_id", s->merchantId);
        o.insert("amount", formatMinorUnits(s->amountMinor));
        o.insert("currency", s->currency);
    }
    if (s != nullptr && s->idempotencyKey) {
        o.insert("idempotency_key", *s->idempotencyKey);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

PaymentResponse base(PaymentOutcome outcome) {
    PaymentResponse r;
    r.outcome = outcome;
    r.id = "pay-1";
    r.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    r.processing = 1234us;
    return r;
}
}  // namespace

class TestPaymentJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesWhatQJsonDocumentWrites_data() {
        QTest::addColumn<PaymentResponse>("response");
        QTest::addColumn<bool>("withSignal");

        PaymentResponse charged = base(PaymentOutcome::Charged);
        charged.policyRan = true;
        charged.receiptId = "rcpt_00ff00ff00ff00ff";
        QTest::newRow("charged") << charged << false;
        QTest::newRow("charged, decision row") << charged << true;

        PaymentResponse rejected = base(PaymentOutcome::Rejected);
        rejected.policyRan = true;
        rejected.score = 150;
        rejected.reasons = {"blacklist", "velocity: 6 in 60 s", "quote \" back\\slash"};
        QTest::newRow("rejected with reasons") << rejected << true;

        PaymentResponse open = base(PaymentOutcome::CircuitOpen);
        open.policyRan = true;
        open.retryAfter = 1500ms;
        open.breakerAfter = BreakerState::Open;
        QTest::newRow("circuit open, retry after rounds up") << open << false;

        PaymentResponse duplicate = base(PaymentOutcome::Duplicate);
        duplicate.original = PaymentOutcome::Charged;
        duplicate.receiptId = "rcpt_1";
        duplicate.breakerAfter = BreakerState::HalfOpen;
        QTest::newRow("duplicate") << duplicate << true;

        PaymentResponse invalid = base(PaymentOutcome::Invalid);
        invalid.id.clear();
        invalid.error = QString::fromUtf8("amount: \"12,5\" is not a number\n\ttab \x01 ctrl · ünïcödé 💳");
        invalid.processing = 0us;
        QTest::newRow("invalid with escapes and non-ASCII") << invalid << false;

        PaymentResponse slow = base(PaymentOutcome::GatewayTimeout);
        slow.processing = 30s;
        slow.error = "gateway did not answer within 30 s";
        QTest::newRow("timeout, whole milliseconds") << slow << false;
    }

    void writesWhatQJsonDocumentWrites() {
        QFETCH(PaymentResponse, response);
        QFETCH(bool, withSignal);
        PaymentSignal signal;
        signal.id = response.id;
        signal.customerId = "cust_ü";
        signal.merchantId = "merc_1";
        signal.currency = "EUR";
        signal.amountMinor = 12345;
        signal.idempotencyKey = "key-\"1\"";
        if (withSignal) {
            QCOMPARE(decisionAuditJson(signal, response), oracle(response, &signal));
        } else {
            QCOMPARE(paymentResponseJson(response), oracle(response, nullptr));
        }
        // And it reads back.
        const auto back = paymentResponseFromJson(paymentResponseJson(response));
        QVERIFY(back);
        QCOMPARE(toString(back->outcome), toString(response.outcome));
        QCOMPARE(back->error, response.error);
        QCOMPARE(back->reasons, response.reasons);
        QCOMPARE(back->receiptId, response.receiptId);
    }
};

QTEST_GUILESS_MAIN(TestPaymentJson)
#include "tst_payment_json.moc"
