// DESIGN.md §4.3: admission → leveling → breaker → action with timeout → confirmation.
#include "pipeline_fixture.h"

#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
int count(const std::vector<PaymentResponse>& responses, PaymentOutcome outcome) {
    return static_cast<int>(
        std::count_if(responses.begin(), responses.end(),
                      [outcome](const PaymentResponse& r) { return r.outcome == outcome; }));
}
}  // namespace

class TestPaymentPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aChargeCarriesReceiptTraceAndPolicyResult() {
        PipelineFixture f;
        const auto r = f.send(f.payment(QStringLiteral("p1")));
        QVERIFY(r);
        QCOMPARE(toString(r->outcome), QStringLiteral("charged"));
        QVERIFY(r->receiptId.startsWith(QStringLiteral("rcpt_")));
        QCOMPARE(r->traceId.size(), 32);
        QVERIFY(r->policyRan);
        QCOMPARE(r->httpStatus(), 200);
        QCOMPARE(f.pipeline.confirmations().depth(), std::size_t{0});  // staged for a batched handoff
        f.clock.advanceBy(5ms);                                        // handed over at the latest now
        QCOMPARE(f.pipeline.confirmations().depth(), std::size_t{1});  // follow-up work queued
    }

    void excessWaitsForTokensAndIsNeverDropped() {
        PipelineFixture f;
        for (int i = 0; i < 300; ++i) {
            f.send(f.payment(QStringLiteral("p%1").arg(i), QStringLiteral("c%1").arg(i)));
        }
        QCOMPARE(f.responses.size(), std::size_t{200});  // the burst goes straight through
        QCOMPARE(f.pipeline.admissionCounters().depth, std::size_t{100});
        f.clock.advanceBy(25ms);  // 2000/s → 50 more
        QCOMPARE(f.responses.size(), std::size_t{250});
        f.clock.advanceBy(25ms);
        QCOMPARE(count(f.responses, PaymentOutcome::Charged), 300);
        QCOMPARE(f.pipeline.admissionCounters().shed, 0u);
    }

    void aFullAdmissionQueueSheds() {
        PaymentsConfig config;
        config.gatewayBurst = 1;
        config.gatewayRatePerS = 1;
        config.admissionQueueCapacity = 3;
        PipelineFixture f(config);
        for (int i = 0; i < 6; ++i) {
            f.send(f.payment(QStringLiteral("p%1").arg(i), QStringLiteral("c%1").arg(i)));
        }
        QCOMPARE(count(f.responses, PaymentOutcome::Charged), 1);
        QCOMPARE(count(f.responses, PaymentOutcome::QueueFull), 2);
        QCOMPARE(f.responses.back().retryAfter, Duration(1s));
        QCOMPARE(f.responses.back().httpStatus(), 429);
        QCOMPARE(f.pipeline.admissionCounters().shed, 2u);
        f.clock.advanceBy(3s);
        QCOMPARE(count(f.responses, PaymentOutcome::Charged), 4);
    }

    void anOpenBreakerFailsFastWithRetryAfter() {
        PipelineFixture f;
        f.gateway.setFault(GatewayFault{0, 0, 0, 0, true});
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(
                toString(
                    f.send(f.payment(QStringLiteral("e%1").arg(i), QStringLiteral("c%1").arg(i)))->outcome),
                QStringLiteral("gateway_error"));
        }
        f.clock.advanceBy(10s);
        const auto r = f.send(f.payment(QStringLiteral("x")));
        QCOMPARE(toString(r->outcome), QStringLiteral("circuit_open"));
        QCOMPARE(r->retryAfter, Duration(20s));
        QCOMPARE(r->httpStatus(), 503);
        QCOMPARE(toString(r->breakerAfter), QStringLiteral("open"));
    }

    void aTimeoutAnswersAfterTheActionTimeoutAndCountsAsFailure() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("t"));
        s.sim = SimOverride{GatewayForcedOutcome::Timeout, std::nullopt};
        QVERIFY(!f.send(s));
        f.clock.advanceBy(29s);
        QVERIFY(f.responses.empty());
        f.clock.advanceBy(1s);
        QCOMPARE(toString(f.responses.at(0).outcome), QStringLiteral("gateway_timeout"));
        QCOMPARE(f.responses.at(0).processing, Duration(30s));
        QCOMPARE(f.pipeline.breaker().status().consecutiveFailures, 1);
    }

    void aCallSlowerThanTheTimeoutTimesOut() {
        PipelineFixture f;
        PaymentSignal s = f.payment(QStringLiteral("slow"));
        s.sim = SimOverride{GatewayForcedOutcome::Ok, 45000};
        f.send(s);
        f.clock.advanceBy(30s);
        QCOMPARE(toString(f.responses.at(0).outcome), QStringLiteral("gateway_timeout"));
    }

    void faultOutcomesDependOnSeedAndIdNotOnOrder() {
        GatewayFault fault;
        fault.errorRate = 0.3;
        PipelineFixture forward;
        PipelineFixture backward;
        forward.gateway.setFault(fault);
        backward.gateway.setFault(fault);
        forward.pipeline.breaker().forceClosed(QStringLiteral("isolate"));
        backward.pipeline.breaker().forceClosed(QStringLiteral("isolate"));
        QHash<QString, QString> a;
        QHash<QString, QString> b;
        for (int i = 0; i < 100; ++i) {
            const QString id = QStringLiteral("p%1").arg(i);
            a[id] = toString(forward.send(forward.payment(id, QStringLiteral("c%1").arg(i)))->outcome);
        }
        for (int i = 99; i >= 0; --i) {
            const QString id = QStringLiteral("p%1").arg(i);
            b[id] = toString(backward.send(backward.payment(id, QStringLiteral("c%1").arg(i)))->outcome);
        }
        QCOMPARE(a, b);
        const auto errors = std::count(a.cbegin(), a.cend(), QStringLiteral("gateway_error"));
        QVERIFY2(errors > 15 && errors < 45, qPrintable(QString::number(errors)));
    }

    void latencyAndJitterDelayTheAnswer() {
        PipelineFixture f;
        f.gateway.setFault(GatewayFault{200, 50, 0, 0, false});
        f.send(f.payment(QStringLiteral("p1")));
        f.clock.advanceBy(149ms);
        QVERIFY(f.responses.empty());
        f.clock.advanceBy(101ms);
        QCOMPARE(f.responses.size(), std::size_t{1});
        QVERIFY(f.responses[0].processing >= 150ms && f.responses[0].processing <= 250ms);
    }

    void countersReconcile() {
        PipelineFixture f;
        f.send(f.payment(QStringLiteral("a"), QStringLiteral("cust_666")));
        f.send(f.payment(QStringLiteral("b")));
        f.pipeline.submitInvalid(QStringLiteral("c"), QString(), QStringLiteral("amount"),
                                 QStringLiteral("amount: required"), [](const auto&) {});
        const auto& m = f.pipeline.metrics();
        QCOMPARE(m.totalAll(), 3u);
        QCOMPARE(m.total(static_cast<int>(PaymentOutcome::Rejected)), 1u);
        QCOMPARE(m.total(static_cast<int>(PaymentOutcome::Charged)), 1u);
        QCOMPARE(m.total(static_cast<int>(PaymentOutcome::Invalid)), 1u);
    }
};

QTEST_GUILESS_MAIN(TestPaymentPipeline)
#include "tst_payment_pipeline.moc"
