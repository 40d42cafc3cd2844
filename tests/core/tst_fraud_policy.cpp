// DESIGN.md §4.2: each rule, its boundary, trusted customers, and what counts as history.
#include "payments/fraud_policy.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
// A history is "cust@seconds/CUR amount" items separated by spaces; the last one is evaluated.
struct Evaluated {
    int score;
    QStringList reasons;
    bool rejected;
};

Evaluated run(const QString& history, const PaymentsConfig& config = {}) {
    FraudPolicy policy(config);
    PolicyDecision decision;
    for (const QString& item : history.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        PaymentSignal s;
        s.customerId = item.section(QLatin1Char('@'), 0, 0);
        const QString rest = item.section(QLatin1Char('@'), 1);
        const int at = rest.section(QLatin1Char('/'), 0, 0).toInt();
        const QString currencyAndAmount = rest.section(QLatin1Char('/'), 1);
        s.currency = currencyAndAmount.left(3);
        s.amountMinor = currencyAndAmount.size() > 3 ? currencyAndAmount.mid(3).toLongLong() : 100;
        s.merchantId = QStringLiteral("m");
        decision = policy.evaluate(s, TimePoint{std::chrono::seconds(1'000'000 + at)});
    }
    QStringList reasons;
    for (const QString& r : policy.reasonsOf(decision)) {
        reasons << r;
    }
    return {decision.score, reasons, decision.rejected};
}
}  // namespace

class TestFraudPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scoresEachRule_data() {
        QTest::addColumn<QString>("history");
        QTest::addColumn<int>("score");
        QTest::addColumn<QStringList>("reasons");
        QTest::addColumn<bool>("rejected");

        QTest::newRow("clean") << "c@0/USD" << 0 << QStringList{} << false;
        QTest::newRow("blacklisted") << "cust_666@0/USD" << 100 << QStringList{"blacklisted"} << true;
        QTest::newRow("amount at limit") << "c@0/USD500000" << 0 << QStringList{} << false;
        QTest::newRow("amount over limit")
            << "c@0/USD500001" << 50 << QStringList{"amount_exceeds_limit"} << true;
        QTest::newRow("five in a minute")
            << "c@0/USD c@1/USD c@2/USD c@3/USD c@4/USD" << 0 << QStringList{} << false;
        QTest::newRow("sixth in a minute") << "c@0/USD c@1/USD c@2/USD c@3/USD c@4/USD c@5/USD" << 50
                                           << QStringList{"velocity_exceeded"} << true;
        QTest::newRow("window is (t-60s, t]: one 60 s old is out")
            << "c@0/USD c@1/USD c@2/USD c@3/USD c@4/USD c@60/USD" << 0 << QStringList{} << false;
        QTest::newRow("window includes 59.999 s") << "c@1/USD c@1/USD c@2/USD c@3/USD c@4/USD c@60/USD" << 50
                                                  << QStringList{"velocity_exceeded"} << true;
        QTest::newRow("velocity is per customer")
            << "a@0/USD a@1/USD a@2/USD b@3/USD b@4/USD a@5/USD" << 0 << QStringList{} << false;
        QTest::newRow("two currencies") << "c@0/USD c@1/EUR" << 0 << QStringList{} << false;
        QTest::newRow("third currency in an hour")
            << "c@0/USD c@1/EUR c@2/GBP" << 30 << QStringList{"currency_anomaly"} << false;
        QTest::newRow("currency window is (t-3600s, t]")
            << "c@0/USD c@1/EUR c@3600/GBP" << 0 << QStringList{} << false;
        QTest::newRow("repeat currency is not distinct")
            << "c@0/USD c@1/EUR c@2/USD" << 0 << QStringList{} << false;
        QTest::newRow("rules add up, in table order")
            << "c@0/USD c@1/EUR c@2/GBP c@3/USD c@4/USD c@5/JPY600000" << 130
            << QStringList{"velocity_exceeded", "amount_exceeds_limit", "currency_anomaly"} << true;
        QTest::newRow("trusted skips velocity")
            << "cust_vip@0/USD cust_vip@1/USD cust_vip@2/USD cust_vip@3/USD "
               "cust_vip@4/USD cust_vip@5/USD"
            << 0 << QStringList{} << false;
        QTest::newRow("trusted skips currency")
            << "cust_vip@0/USD cust_vip@1/EUR cust_vip@2/GBP" << 0 << QStringList{} << false;
        QTest::newRow("trusted still has the amount rule")
            << "cust_vip@0/USD900000" << 50 << QStringList{"amount_exceeds_limit"} << true;
    }

    void scoresEachRule() {
        QFETCH(QString, history);
        QFETCH(int, score);
        QFETCH(QStringList, reasons);
        QFETCH(bool, rejected);
        const Evaluated e = run(history);
        QCOMPARE(e.score, score);
        QCOMPARE(e.reasons, reasons);
        QCOMPARE(e.rejected, rejected);
    }

    void thresholdsAndWeightsComeFromThePolicy() {
        PaymentsConfig config;
        config.rejectScore = 30;
        config.currencyWeight = 30;
        config.velocityMaxPerWindow = 1;
        QVERIFY(run(QStringLiteral("c@0/USD c@1/EUR c@2/GBP"), config).rejected);
        QCOMPARE(run(QStringLiteral("c@0/USD c@1/USD"), config).reasons,
                 QStringList{QStringLiteral("velocity_exceeded")});
    }

    void boundedHistoryNeverChangesADecision() {
        // 10 000 signals of one customer: the policy keeps a few entries but still sees the 6th in a minute.
        FraudPolicy policy{PaymentsConfig{}};
        PaymentSignal s;
        s.customerId = QStringLiteral("busy");
        s.currency = QStringLiteral("USD");
        s.amountMinor = 100;
        int rejected = 0;
        for (int i = 0; i < 10000; ++i) {
            rejected += policy.evaluate(s, TimePoint{std::chrono::seconds(i * 13)}).rejected ? 1 : 0;
        }
        QCOMPARE(rejected, 0);  // 13 s apart: at most 5 in any (t-60 s, t]
        for (int i = 0; i < 6; ++i) {
            rejected += policy.evaluate(s, TimePoint{std::chrono::seconds(200000 + i)}).rejected ? 1 : 0;
        }
        QCOMPARE(rejected, 1);
    }

    void idleCustomersAreEvicted() {
        FraudPolicy policy{PaymentsConfig{}};
        PaymentSignal s;
        s.currency = QStringLiteral("USD");
        for (int i = 0; i < 1000; ++i) {
            s.customerId = QStringLiteral("c%1").arg(i);
            policy.evaluate(s, TimePoint{std::chrono::seconds(i)});
        }
        QCOMPARE(policy.trackedCustomers(), std::size_t{1000});
        // Eviction is spread over the following payments, a few buckets each, so no single
        // payment pays for the whole sweep.
        s.customerId = QStringLiteral("late0");
        policy.evaluate(s, TimePoint{std::chrono::seconds(10000)});
        QVERIFY(policy.trackedCustomers() > 1);
        for (int i = 1; i < 200; ++i) {
            s.customerId = QStringLiteral("late%1").arg(i);
            policy.evaluate(s, TimePoint{std::chrono::seconds(10000 + i)});
        }
        QCOMPARE(policy.trackedCustomers(), std::size_t{200});  // only the late ones are left
    }
};

QTEST_GUILESS_MAIN(TestFraudPolicy)
#include "tst_fraud_policy.moc"
