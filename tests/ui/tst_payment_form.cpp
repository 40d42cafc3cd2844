// The injector's payment form validates as you type with the §4.1 rules and messages.
#include "payment_form.h"
#include "ui_test_support.h"

#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace tai;

class TestPaymentForm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rejectsEachInvalidFieldWithItsMessage_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("customer empty") << "customer_id"
                                        << ""
                                        << "customer_id: required";
        QTest::newRow("customer bad char") << "customer_id"
                                           << "bad id"
                                           << "customer_id: may only contain letters, digits and _ . : -";
        QTest::newRow("customer long")
            << "customer_id" << QString(65, 'c') << "customer_id: must be 1-64 characters";
        QTest::newRow("merchant empty") << "merchant_id"
                                        << ""
                                        << "merchant_id: required";
        QTest::newRow("merchant bad char") << "merchant_id"
                                           << "m/1"
                                           << "merchant_id: may only contain letters, digits and _ . : -";
        QTest::newRow("amount empty") << "amount"
                                      << ""
                                      << "amount: required";
        QTest::newRow("amount 3 decimals")
            << "amount"
            << "1.005"
            << "amount: must be a decimal string like \"12.50\" or a number with at most 2 decimals";
        QTest::newRow("amount zero") << "amount"
                                     << "0"
                                     << "amount: must be greater than 0";
        QTest::newRow("amount too big") << "amount"
                                        << "1000000000.01"
                                        << "amount: must be at most 1000000000.00";
        QTest::newRow("currency lower") << "currency"
                                        << "usd"
                                        << "currency: must be 3 uppercase letters (ISO 4217)";
        QTest::newRow("currency empty") << "currency"
                                        << ""
                                        << "currency: required";
        QTest::newRow("key not ascii") << "idempotency_key"
                                       << "clé"
                                       << "idempotency_key: must be printable ASCII";
        QTest::newRow("key too long")
            << "idempotency_key" << QString(256, 'k') << "idempotency_key: must be 1-255 characters";
        QTest::newRow("id too long") << "id" << QString(65, 'i') << "id: must be at most 64 characters";
    }

    void rejectsEachInvalidFieldWithItsMessage() {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, message);
        ui::PaymentForm form;
        QVERIFY(form.canSubmit());
        QLineEdit* edit = form.field(field);
        QVERIFY(edit);
        edit->clear();
        if (text.toLatin1() == text.toUtf8()) {
            QTest::keyClicks(edit, text);  // typed, as an operator would
        } else {
            edit->setText(text);  // QTest cannot synthesise keys outside ASCII
        }
        QCOMPARE(form.errorFor(field), message);
        QVERIFY(!form.canSubmit());
        // Only the field at fault is flagged.
        for (const char* other :
             {"customer_id", "merchant_id", "amount", "currency", "idempotency_key", "id"}) {
            if (field != QLatin1String(other)) {
                QCOMPARE(form.errorFor(other), QString());
            }
        }
        edit->setText(field == "amount"                                  ? "12.50"
                      : field == "currency"                              ? "EUR"
                      : field == "customer_id" || field == "merchant_id" ? "ok_1"
                                                                         : "");
        QCOMPARE(form.errorFor(field), QString());
        QVERIFY(form.canSubmit());
    }

    void sendsAPaymentAndShowsTheDecision() {
        ConsoleFixture f;
        ui::PaymentForm* form = f.window->paymentForm();
        form->field("customer_id")->setText("cust_666");
        form->field("idempotency_key")->setText("order-1");
        QTest::mouseClick(form->findChild<QPushButton*>("sendPayment"), Qt::LeftButton);
        QTRY_VERIFY(form->resultText().startsWith("Decision: rejected (HTTP 402)"));
        QVERIFY(form->resultText().contains("Score: 100   Reasons: blacklisted"));
        QVERIFY(form->resultText().contains("Trace: "));
        QTest::mouseClick(form->findChild<QPushButton*>("sendPayment"), Qt::LeftButton);
        QTRY_VERIFY(form->resultText().startsWith("Decision: duplicate of rejected (HTTP 402)"));
    }
};

QTEST_MAIN(TestPaymentForm)
#include "tst_payment_form.moc"
