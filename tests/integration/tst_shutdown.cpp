// Issue 14 item 6: SIGTERM while payments are in flight. Each client gets the coded 503
// ("stopping before it answered"), none is left without an answer, and the process ends within
// 5 s with status 0. Against a real `tai-console --headless` over loopback, durable and in memory.
#include "headless_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <csignal>

class TestShutdown : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sigtermAnswersEveryPaymentInFlight_data() {
        QTest::addColumn<QStringList>("storage");
        QTest::newRow("durable") << QStringList{};  // the data dir of its isolated home
        QTest::newRow("in memory") << QStringList{"--ephemeral"};
    }
    void sigtermAnswersEveryPaymentInFlight() {
        QFETCH(QStringList, storage);
        HeadlessProcess engine(storage);
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        // A gateway that takes 4 s, so the payments are still at the gateway when SIGTERM comes.
        const HttpResult slow = QCoro::waitFor(request(nam, "POST", engine.url("/v1/control/gateway-fault"),
                                                       QByteArray("{\"latency_ms\":4000}"),
                                                       {{"Authorization", "Bearer " + engine.token()}}));
        QCOMPARE(slow.status, 200);

        constexpr int kPayments = 6;  // QNetworkAccessManager opens at most 6 connections per host
        std::vector<HttpResult> answers(kPayments);
        int answered = 0;
        std::vector<QCoro::Task<void>> clients;
        for (int i = 0; i < kPayments; ++i) {
            clients.push_back([](QNetworkAccessManager& n, const HeadlessProcess& e, int i, HttpResult& out,
                                 int& count) -> QCoro::Task<void> {
                const QByteArray body =
                    QJsonDocument(QJsonObject{{"customer_id", QStringLiteral("c%1").arg(i)},
                                              {"merchant_id", "m1"},
                                              {"amount", "1.00"},
                                              {"currency", "USD"},
                                              {"idempotency_key", QStringLiteral("k%1").arg(i)}})
                        .toJson(QJsonDocument::Compact);
                out = co_await request(n, "POST", e.url("/v1/payments"), body);
                ++count;
            }(nam, engine, i, answers[static_cast<std::size_t>(i)], answered));
        }
        // Every payment is at the gateway (in progress on the admission queue) before SIGTERM.
        QNetworkAccessManager watcher;  // nam's six connections per host are all taken
        const auto inProgress = [&] {
            const HttpResult state = QCoro::waitFor(request(watcher, "GET", engine.url("/v1/state")));
            int n = 0;
            for (const QJsonValue& q :
                 QJsonDocument::fromJson(state.body).object().value("queues").toArray()) {
                n += q.toObject().value("in_progress").toInt();
            }
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(inProgress() >= kPayments, 3000);
        QCOMPARE(answered, 0);

        QElapsedTimer stopping;
        stopping.start();
        QVERIFY(::kill(static_cast<pid_t>(engine.pid()), SIGTERM) == 0);
        QTRY_COMPARE_WITH_TIMEOUT(answered, kPayments, 5000);
        for (const HttpResult& a : answers) {
            QCOMPARE(a.status, 503);
            QCOMPARE(QJsonDocument::fromJson(a.body).object().value("error").toString(),
                     QStringLiteral("server: stopping before it answered"));
        }
        QVERIFY(engine.waitForExit(5000));
        QVERIFY2(stopping.elapsed() < 5000, qPrintable(QString::number(stopping.elapsed())));
        QCOMPARE(engine.exitCode(), 0);
        QVERIFY2(engine.log().contains("stopped cleanly"), engine.log().constData());
    }
};

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
