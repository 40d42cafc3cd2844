// A crash (kill -9) loses no acknowledged payment and charges nothing twice (DESIGN.md §7).
#include "headless_process.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <csignal>

namespace {
constexpr int kPayments = 2400;
constexpr int kClients = 16;
constexpr int kKillAfterAcks = 1000;

QByteArray paymentFor(int i) {
    return QStringLiteral(
               R"({"customer_id":"crash_%1","merchant_id":"m1","amount":"%2.00","currency":"USD","idempotency_key":"crash-key-%1"})")
        .arg(i)
        .arg(1 + i % 500)
        .toUtf8();
}

struct Outcome {
    int status = 0;
    QString outcome;
    QString original;
    QString receipt;
};

Outcome parse(const HttpResult& r) {
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    return {r.status, o.value("status").toString(), o.value("original").toString(),
            o.value("receipt_id").toString()};
}

// kClients coroutines share `next`; stops handing out work once `stop` is set.
QCoro::Task<void> client(QNetworkAccessManager& nam, QUrl url, int& next, std::vector<Outcome>& results,
                         int& acked, std::function<void()> onAck,
                         bool& stop) {  // by value: a coroutine outlives temporaries
    while (!stop && next < kPayments) {
        const int i = next++;
        const HttpResult r = co_await request(nam, "POST", url, paymentFor(i));
        results[static_cast<std::size_t>(i)] = parse(r);
        if (r.status == 200 && results[static_cast<std::size_t>(i)].outcome == "charged") {
            ++acked;
            onAck();
        }
    }
}
}  // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killNineLosesNoAcknowledgedPaymentAndChargesNothingTwice() {
        QTemporaryDir dataDir;
        std::vector<Outcome> first(kPayments);
        int acked = 0;
        int attempted = 0;
        {
            HeadlessProcess engine({"--data-dir", dataDir.path()});
            QVERIFY2(engine.running(), engine.log().constData());
            QNetworkAccessManager nam;
            nam.setAutoDeleteReplies(false);
            int next = 0;
            bool stop = false;
            bool killed = false;
            const auto onAck = [&] {
                if (acked >= kKillAfterAcks && !killed) {
                    killed = true;
                    ::kill(static_cast<pid_t>(engine.pid()), SIGKILL);  // mid-stream: requests are in flight
                    stop = true;
                }
            };
            std::vector<QCoro::Task<void>> clients;
            for (int c = 0; c < kClients; ++c) {
                clients.push_back(client(nam, engine.url("/v1/payments"), next, first, acked, onAck, stop));
            }
            for (auto& c : clients) {
                QCoro::waitFor(std::move(c));
            }
            QVERIFY(killed);
            engine.kill();
            attempted = next;
        }
        int cutOff = 0;
        for (int i = 0; i < attempted; ++i) {
            cutOff += first[static_cast<std::size_t>(i)].status == 0 ? 1 : 0;
        }
        qInfo("before the kill: %d acknowledged as charged, %d in flight and cut off, %d never sent", acked,
              cutOff, kPayments - attempted);

        std::vector<Outcome> second(kPayments);
        {
            HeadlessProcess engine({"--data-dir", dataDir.path()});
            QVERIFY2(engine.running(), engine.log().constData());
            QVERIFY(engine.log().contains("idempotency keys restored"));
            QNetworkAccessManager nam;
            int next = 0;
            int ignored = 0;
            bool stop = false;
            std::vector<QCoro::Task<void>> clients;
            for (int c = 0; c < kClients; ++c) {
                clients.push_back(client(
                    nam, engine.url("/v1/payments"), next, second, ignored, [] {}, stop));
            }
            for (auto& c : clients) {
                QCoro::waitFor(std::move(c));
            }
        }
        int duplicates = 0;
        for (int i = 0; i < kPayments; ++i) {
            const Outcome& before = first[static_cast<std::size_t>(i)];
            const Outcome& after = second[static_cast<std::size_t>(i)];
            QCOMPARE(after.status, 200);  // every key ends up charged: none is lost
            if (before.status == 200 && before.outcome == "charged") {
                // Acknowledged before the kill: comes back as the very same charge.
                QCOMPARE(after.outcome, QStringLiteral("duplicate"));
                QCOMPARE(after.original, QStringLiteral("charged"));
                QCOMPARE(after.receipt, before.receipt);
            } else {
                QVERIFY(after.outcome == "charged" ||
                        (after.outcome == "duplicate" && after.original == "charged"));
            }
            duplicates += after.outcome == "duplicate" ? 1 : 0;
        }
        QVERIFY(acked >= kKillAfterAcks);

        // The durable record agrees: at most one charge per key across both runs.
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open_v2(dataDir.filePath("audit.sqlite").toUtf8().constData(), &db,
                                 SQLITE_OPEN_READONLY, nullptr),
                 SQLITE_OK);
        sqlite3_stmt* q = nullptr;
        QCOMPARE(
            sqlite3_prepare_v2(db,
                               "SELECT COUNT(*), COUNT(DISTINCT json_extract(payload, '$.idempotency_key')) "
                               "FROM audit_events "
                               "WHERE kind = 'decision' AND json_extract(payload, '$.status') = 'charged'",
                               -1, &q, nullptr),
            SQLITE_OK);
        QCOMPARE(sqlite3_step(q), SQLITE_ROW);
        const int rows = sqlite3_column_int(q, 0);
        const int keys = sqlite3_column_int(q, 1);
        sqlite3_finalize(q);
        sqlite3_close_v2(db);
        QCOMPARE(rows, keys);
        QCOMPARE(keys, kPayments);
        qInfo(
            "after restart: %d keys replayed as duplicates, %d charged for the first time; %d charge rows "
            "for %d keys",
            duplicates, kPayments - duplicates, rows, keys);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crash_recovery.moc"
