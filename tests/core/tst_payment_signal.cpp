// DESIGN.md §4.1, one row per rule: a payment that differs from a valid one in one field.
#include "base/money.h"
#include "base/rfc3339.h"
#include "payments/payment_signal.h"

#include <QJsonDocument>
#include <QtTest>

using namespace tai;

namespace {
QJsonObject valid() {
    return QJsonDocument::fromJson(
               R"({"customer_id":"cust_1","merchant_id":"merc_1","amount":"12.50","currency":"USD"})")
        .object();
}
QJsonObject with(const QString& key, const QJsonValue& value) {
    QJsonObject o = valid();
    if (value.isUndefined()) {
        o.remove(key);
    } else {
        o.insert(key, value);
    }
    return o;
}
}  // namespace

class TestPaymentSignal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rejectsEachInvalidFieldByName_data() {
        QTest::addColumn<QJsonObject>("signal");
        QTest::addColumn<QString>("error");
        const QJsonValue absent(QJsonValue::Undefined);
        QTest::newRow("id not a string") << with(QStringLiteral("id"), 5) << "id: must be a string";
        QTest::newRow("id over 64") << with(QStringLiteral("id"), QString(65, QLatin1Char('x')))
                                    << "id: must be at most 64 characters";
        QTest::newRow("key empty") << with(QStringLiteral("idempotency_key"), QString())
                                   << "idempotency_key: must be 1-255 characters";
        QTest::newRow("key over 255")
            << with(QStringLiteral("idempotency_key"), QString(256, QLatin1Char('k')))
            << "idempotency_key: must be 1-255 characters";
        QTest::newRow("key not ASCII") << with(QStringLiteral("idempotency_key"), QStringLiteral("clé"))
                                       << "idempotency_key: must be printable ASCII";
        QTest::newRow("key control char") << with(QStringLiteral("idempotency_key"), QStringLiteral("a\tb"))
                                          << "idempotency_key: must be printable ASCII";
        QTest::newRow("customer missing")
            << with(QStringLiteral("customer_id"), absent) << "customer_id: required";
        QTest::newRow("customer null")
            << with(QStringLiteral("customer_id"), QJsonValue()) << "customer_id: required";
        QTest::newRow("customer empty")
            << with(QStringLiteral("customer_id"), QString()) << "customer_id: must be 1-64 characters";
        QTest::newRow("customer over 64")
            << with(QStringLiteral("customer_id"), QString(65, QLatin1Char('c')))
            << "customer_id: must be 1-64 characters";
        QTest::newRow("customer bad char") << with(QStringLiteral("customer_id"), QStringLiteral("cust 1"))
                                           << "customer_id: may only contain letters, digits and _ . : -";
        QTest::newRow("customer number")
            << with(QStringLiteral("customer_id"), 12) << "customer_id: must be a string";
        QTest::newRow("merchant missing")
            << with(QStringLiteral("merchant_id"), absent) << "merchant_id: required";
        QTest::newRow("merchant bad char") << with(QStringLiteral("merchant_id"), QStringLiteral("m/1"))
                                           << "merchant_id: may only contain letters, digits and _ . : -";
        const QString amountShape = QStringLiteral(
            "amount: must be a decimal string like \"12.50\" or a number with at most 2 decimals");
        QTest::newRow("amount missing") << with(QStringLiteral("amount"), absent) << "amount: required";
        QTest::newRow("amount three decimals")
            << with(QStringLiteral("amount"), QStringLiteral("1.005")) << amountShape;
        QTest::newRow("amount exponent string")
            << with(QStringLiteral("amount"), QStringLiteral("1e3")) << amountShape;
        QTest::newRow("amount negative string")
            << with(QStringLiteral("amount"), QStringLiteral("-5")) << amountShape;
        QTest::newRow("amount trailing dot")
            << with(QStringLiteral("amount"), QStringLiteral("5.")) << amountShape;
        QTest::newRow("amount number 3 decimals") << with(QStringLiteral("amount"), 12.345) << amountShape;
        QTest::newRow("amount bool") << with(QStringLiteral("amount"), true) << amountShape;
        QTest::newRow("amount zero") << with(QStringLiteral("amount"), QStringLiteral("0.00"))
                                     << "amount: must be greater than 0";
        QTest::newRow("amount negative number")
            << with(QStringLiteral("amount"), -1) << "amount: must be greater than 0";
        QTest::newRow("amount over max") << with(QStringLiteral("amount"), QStringLiteral("1000000000.01"))
                                         << "amount: must be at most 1000000000.00";
        QTest::newRow("amount huge") << with(QStringLiteral("amount"),
                                             QStringLiteral("99999999999999999999999"))
                                     << "amount: must be at most 1000000000.00";
        const QString currency = QStringLiteral("currency: must be 3 uppercase letters (ISO 4217)");
        QTest::newRow("currency missing") << with(QStringLiteral("currency"), absent) << "currency: required";
        QTest::newRow("currency lower")
            << with(QStringLiteral("currency"), QStringLiteral("usd")) << currency;
        QTest::newRow("currency long")
            << with(QStringLiteral("currency"), QStringLiteral("USDT")) << currency;
        QTest::newRow("currency digits")
            << with(QStringLiteral("currency"), QStringLiteral("U5D")) << currency;
        const QString timestamp =
            QStringLiteral("timestamp: must be an RFC 3339 date-time or integer epoch milliseconds");
        QTest::newRow("timestamp no offset")
            << with(QStringLiteral("timestamp"), QStringLiteral("2026-01-01T00:00:00")) << timestamp;
        QTest::newRow("timestamp bad date")
            << with(QStringLiteral("timestamp"), QStringLiteral("2026-02-30T00:00:00Z")) << timestamp;
        QTest::newRow("timestamp fraction") << with(QStringLiteral("timestamp"), 1.5) << timestamp;
        QTest::newRow("timestamp negative") << with(QStringLiteral("timestamp"), -1) << timestamp;
        QTest::newRow("timestamp object") << with(QStringLiteral("timestamp"), QJsonObject()) << timestamp;
        QTest::newRow("sim not object")
            << with(QStringLiteral("sim"), QStringLiteral("error")) << "sim: must be an object";
        QTest::newRow("sim bad gateway")
            << with(QStringLiteral("sim"), QJsonObject{{QStringLiteral("gateway"), QStringLiteral("boom")}})
            << "sim.gateway: must be \"ok\", \"error\" or \"timeout\"";
        QTest::newRow("sim bad latency")
            << with(QStringLiteral("sim"), QJsonObject{{QStringLiteral("latency_ms"), -3}})
            << "sim.latency_ms: must be a whole number of milliseconds from 0 to 86400000";
    }

    void rejectsEachInvalidFieldByName() {
        QFETCH(QJsonObject, signal);
        QFETCH(QString, error);
        const ParsedPayment parsed = parsePaymentSignal(signal);
        QVERIFY(std::holds_alternative<SignalError>(parsed));
        QCOMPARE(std::get<SignalError>(parsed).text(), error);
    }

    void acceptsEveryValidForm_data() {
        QTest::addColumn<QJsonObject>("signal");
        QTest::addColumn<qint64>("minor");
        QTest::newRow("decimal string") << valid() << qint64(1250);
        QTest::newRow("whole string") << with(QStringLiteral("amount"), QStringLiteral("7")) << qint64(700);
        QTest::newRow("one decimal") << with(QStringLiteral("amount"), QStringLiteral("7.5")) << qint64(750);
        QTest::newRow("leading zeros")
            << with(QStringLiteral("amount"), QStringLiteral("007.05")) << qint64(705);
        QTest::newRow("number") << with(QStringLiteral("amount"), 19.99) << qint64(1999);
        QTest::newRow("awkward float") << with(QStringLiteral("amount"), 0.29) << qint64(29);
        QTest::newRow("max") << with(QStringLiteral("amount"), QStringLiteral("1000000000.00"))
                             << qint64(100000000000);
        QTest::newRow("min") << with(QStringLiteral("amount"), QStringLiteral("0.01")) << qint64(1);
        QTest::newRow("unknown fields ignored")
            << with(QStringLiteral("colour"), QStringLiteral("blue")) << qint64(1250);
        QTest::newRow("identifier charset")
            << with(QStringLiteral("customer_id"), QStringLiteral("A-z_0.9:x")) << qint64(1250);
    }

    void acceptsEveryValidForm() {
        QFETCH(QJsonObject, signal);
        QFETCH(qint64, minor);
        const ParsedPayment parsed = parsePaymentSignal(signal);
        QVERIFY2(std::holds_alternative<PaymentSignal>(parsed),
                 std::holds_alternative<SignalError>(parsed)
                     ? qPrintable(std::get<SignalError>(parsed).text())
                     : "");
        QCOMPARE(std::get<PaymentSignal>(parsed).amountMinor, minor);
    }

    void parsesTimestampsInBothForms() {
        const auto rfc = parseRfc3339(u"2026-01-01T01:00:00.250+01:00");
        QVERIFY(rfc);
        QCOMPARE(toEpochMs(*rfc), 1767225600250LL);
        QCOMPARE(formatRfc3339(*rfc), QStringLiteral("2026-01-01T00:00:00.250Z"));
        const ParsedPayment parsed = parsePaymentSignal(with(QStringLiteral("timestamp"), 1767225600000.0));
        QCOMPARE(toEpochMs(*std::get<PaymentSignal>(parsed).timestamp), 1767225600000LL);
    }

    void rawJsonErrorsNameThePosition() {
        const ParsedPayment broken = parsePaymentJson("{\"customer_id\": }");
        QVERIFY(std::get<SignalError>(broken).text().startsWith(
            QStringLiteral("not valid JSON (line 1, column")));
        QCOMPARE(std::get<SignalError>(parsePaymentJson("[1,2]")).text(),
                 QStringLiteral("signal must be a JSON object"));
        QCOMPARE(std::get<SignalError>(parsePaymentJson(QByteArray(70000, ' '))).text(),
                 QStringLiteral("signal is larger than 64 KiB"));
    }

    void canonicalBodyIgnoresIdTimestampAndSim() {
        auto a = std::get<PaymentSignal>(parsePaymentSignal(valid()));
        auto b = a;
        b.id = QStringLiteral("other");
        b.timestamp = TimePoint{};
        b.sim = SimOverride{};
        QCOMPARE(canonicalPaymentHash(a), canonicalPaymentHash(b));
        b.amountMinor += 1;
        QVERIFY(canonicalPaymentHash(a) != canonicalPaymentHash(b));
    }

    void formatsMinorUnits() {
        QCOMPARE(formatMinorUnits(123405), QStringLiteral("1234.05"));
        QCOMPARE(formatMinorUnits(5), QStringLiteral("0.05"));
    }
};

QTEST_GUILESS_MAIN(TestPaymentSignal)
#include "tst_payment_signal.moc"
