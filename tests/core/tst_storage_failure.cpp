// Storage failures fail fast (issue 14, the engine's side): when audit commits fail, the storage
// breaker opens, new payments are refused before the gateway with 503 and Retry-After, /readyz
// answers 503 with the reason, Andon fires CRITICAL, and a payment already charged when its
// commit failed answers 503 "pending" after the action timeout. Once commits go through again,
// the retry with the same key returns the committed outcome: nothing lost, nothing charged twice.
// The store's failures are injected (its test hook); tst_disk_full does the same with a real full
// disk and a real process.
#include "api/api_router.h"
#include "base/virtual_clock.h"
#include "engine/engine.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <atomic>
#include <future>

using namespace tai;
using namespace std::chrono_literals;

namespace {

QByteArray keyedPayment(const QString& key) {
    return QStringLiteral(
               "{\"customer_id\":\"c-%1\",\"merchant_id\":\"m\",\"amount\":\"10.00\","
               "\"currency\":\"USD\",\"idempotency_key\":\"%1\"}")
        .arg(key)
        .toUtf8();
}

// The audit store's test hook: every commit fails with SQLITE_FULL while `failing`.
struct Fault {
    std::atomic<bool> failing{false};
    std::atomic<int> attempts{0};
    int operator()() {
        if (!failing) {
            return SQLITE_OK;
        }
        ++attempts;
        return SQLITE_FULL;
    }
};

struct Rig {
    Rig() {
        EngineConfig config;
        config.auditDatabase = dir.filePath(QStringLiteral("audit.sqlite"));
        config.auditShutdownGrace = 200ms;
        config.policy.payments.actionTimeoutS = 2;
        config.auditFault = [fault = fault] {
            return (*fault)();
        };
        engine = std::make_unique<Engine>(config, clock);
        QVERIFY2(engine->start(), qPrintable(engine->startError()));
        router = std::make_unique<ApiRouter>(*engine, QStringLiteral("token"));
    }
    // Submits on the engine thread; the future is the reply, whenever it comes.
    std::future<PaymentResponse> pay(const QString& key) {
        auto answer = std::make_shared<std::promise<PaymentResponse>>();
        auto future = answer->get_future();
        engine->submitPayment(keyedPayment(key), {},
                              [answer](const PaymentResponse& r) { answer->set_value(r); });
        engine->invoke([] {}).waitForFinished();
        return future;
    }
    void advance(Duration d) {
        engine->invoke([this, d] { clock.advanceBy(d); }).waitForFinished();
    }
    // Until the store has reported its health to the engine (the writer thread posts it).
    bool waitForStorage(bool ok) {
        for (int i = 0; i < 500; ++i) {
            advance(1ms);  // lets the engine publish a snapshot with what it has heard
            if (engine->latestSnapshot()->storage.ok == ok) {
                return true;
            }
            QTest::qWait(10);  // the writer retries in real time
        }
        return false;
    }
    HttpReply get(const QString& path) {
        ApiRequest request;
        request.method = "GET";
        request.path = path;
        request.headers.insert("host", "127.0.0.1");
        std::promise<HttpReply> answered;
        router->handle(request, [&answered](HttpReply reply) { answered.set_value(std::move(reply)); });
        return answered.get_future().get();
    }
    const BreakerView* storageBreaker() {
        snapshot = engine->latestSnapshot();
        for (const BreakerView& b : snapshot->breakers) {
            if (b.status.name == u"storage") {
                return &b;
            }
        }
        return nullptr;
    }
    std::uint64_t charged() {
        advance(100ms);  // a snapshot with every decision so far
        return engine->latestSnapshot()->kpis.totals[static_cast<int>(PaymentOutcome::Charged)];
    }

    QTemporaryDir dir;
    std::shared_ptr<Fault> fault = std::make_shared<Fault>();
    VirtualClock clock{TimePoint{std::chrono::seconds(1'767'225'600)}};
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ApiRouter> router;
    SnapshotPtr snapshot;
};

QByteArray header(const HttpReply& reply, const QByteArray& name) {
    for (const auto& [key, value] : reply.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

}  // namespace

class TestStorageFailure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aHealthyStoreHasAClosedStorageBreakerAndIsReady() {
        Rig rig;
        QVERIFY(rig.pay(QStringLiteral("k-ok")).get().outcome == PaymentOutcome::Charged);
        const BreakerView* storage = rig.storageBreaker();
        QVERIFY(storage);
        QCOMPARE(toString(storage->status.state), QStringLiteral("closed"));
        QCOMPARE(storage->system, QStringLiteral("engine"));
        QCOMPARE(rig.get(QStringLiteral("/readyz")).status, 200);
    }

    void anInMemoryTrailHasNoStorageBreaker() {
        VirtualClock clock{TimePoint{std::chrono::seconds(1'767'225'600)}};
        EngineConfig config;
        config.auditDatabase = QString();
        Engine engine(config, clock);
        QVERIFY(engine.start());
        for (const BreakerView& b : engine.latestSnapshot()->breakers) {
            QVERIFY(b.status.name != u"storage");
        }
    }

    void failingCommitsOpenTheBreakerAndRefuseNewPaymentsBeforeTheGateway() {
        Rig rig;
        rig.fault->failing = true;
        // Charged at the gateway, but its commit fails: the client waits no longer than the action
        // timeout, then hears "pending".
        auto first = rig.pay(QStringLiteral("k-1"));
        QVERIFY(rig.waitForStorage(false));
        QCOMPARE(rig.charged(), std::uint64_t{1});
        QCOMPARE(first.wait_for(0s), std::future_status::timeout);
        QCOMPARE(rig.engine->latestSnapshot()->storage.repliesWaiting, std::size_t{1});

        const BreakerView* storage = rig.storageBreaker();
        QVERIFY(storage);
        QCOMPARE(toString(storage->status.state), QStringLiteral("open"));
        // A new payment is refused at once, before the policy and the gateway.
        const PaymentResponse refused = rig.pay(QStringLiteral("k-2")).get();
        QCOMPARE(toString(refused.outcome), QStringLiteral("circuit_open"));
        QCOMPARE(refused.httpStatus(), 503);
        QVERIFY(refused.retryAfter >= 1s);
        QVERIFY2(refused.error.startsWith(QStringLiteral("storage: ")), qPrintable(refused.error));
        QCOMPARE(rig.charged(), std::uint64_t{1});  // k-2 never reached the gateway

        // /readyz says why; Andon fires CRITICAL for the storage breaker.
        const HttpReply ready = rig.get(QStringLiteral("/readyz"));
        QCOMPARE(ready.status, 503);
        QVERIFY2(ready.body.contains("storage: audit commits fail"), ready.body.constData());
        QVERIFY2(ready.body.contains("full"), ready.body.constData());
        QCOMPARE(header(ready, "Retry-After"), QByteArray("1"));
        rig.advance(100ms);
        const SnapshotPtr s = rig.engine->latestSnapshot();
        const auto alert = std::find_if(s->alerts.begin(), s->alerts.end(), [](const ActiveAlert& a) {
            return a.rule == u"breaker_open" && a.subject == u"storage";
        });
        QVERIFY(alert != s->alerts.end());
        QCOMPARE(toString(alert->severity), QStringLiteral("CRITICAL"));
        QCOMPARE(toString(s->light), QStringLiteral("RED"));

        // The action timeout (2 s) passes: the charged payment's client hears 503 "pending".
        rig.advance(2s);
        QCOMPARE(first.wait_for(5s), std::future_status::ready);
        const PaymentResponse pending = first.get();
        QVERIFY(pending.commitPending);
        QCOMPARE(pending.httpStatus(), 503);
        QVERIFY2(pending.error.contains(QStringLiteral("retry with the same idempotency key")),
                 qPrintable(pending.error));
        QVERIFY(pending.receiptId.isEmpty());  // the outcome is not said before it is durable

        // The disk comes back: commits go through, the breaker closes within its probe backoff.
        rig.fault->failing = false;
        QVERIFY(rig.waitForStorage(true));
        rig.advance(5s);
        QCOMPARE(toString(rig.storageBreaker()->status.state), QStringLiteral("closed"));
        QCOMPARE(rig.get(QStringLiteral("/readyz")).status, 200);
        QCOMPARE(rig.engine->latestSnapshot()->storage.repliesWaiting, std::size_t{0});

        // The retry with the same key gets the committed outcome; nothing is charged twice.
        const PaymentResponse retried = rig.pay(QStringLiteral("k-1")).get();
        QCOMPARE(toString(retried.outcome), QStringLiteral("duplicate"));
        QVERIFY(retried.original == std::optional(PaymentOutcome::Charged));
        QVERIFY(!retried.receiptId.isEmpty());
        QVERIFY(!retried.commitPending);
        QCOMPARE(rig.charged(), std::uint64_t{1});
        // And k-2, refused before, is charged now, once.
        QCOMPARE(toString(rig.pay(QStringLiteral("k-2")).get().outcome), QStringLiteral("charged"));
        QCOMPARE(rig.charged(), std::uint64_t{2});

        // In the audit trail: k-1's charge once, the failure and the recovery, and the refusal
        // counted in one row (not a row per refusal, which would pile up in memory).
        rig.engine->flushAudit().waitForFinished();
        AuditQuery q;
        q.limit = 1000;
        auto page = rig.engine->queryAudit(q);
        page.waitForFinished();
        int chargedRows = 0;
        QStringList notes;
        for (const AuditRecord& r : page.result().records) {
            if (r.row.kind == u"decision" && r.row.payload.contains("\"idempotency_key\":\"k-1\"") &&
                r.row.payload.contains("\"status\":\"charged\"")) {
                ++chargedRows;
            }
            if (r.row.subject == u"storage") {
                notes << QString::fromUtf8(r.row.payload);
            }
        }
        QCOMPARE(chargedRows, 1);
        const QString all = notes.join('\n');
        QVERIFY2(all.contains(QStringLiteral("audit commits fail")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("go through again")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("refused 1 payment before the gateway")), qPrintable(all));
    }

    // A retry that comes while commits still fail is refused at once (the breaker is open): never
    // a second charge, never an answer ahead of the write it depends on.
    void aRetryDuringTheFailureIsNeverChargedAgain() {
        Rig rig;
        rig.fault->failing = true;
        auto first = rig.pay(QStringLiteral("k-r"));
        QVERIFY(rig.waitForStorage(false));
        rig.advance(2s);
        QVERIFY(first.get().commitPending);
        // The breaker probes: still failing, so it stays open, and the retry is refused at once.
        rig.advance(1s);
        const PaymentResponse again = rig.pay(QStringLiteral("k-r")).get();
        QCOMPARE(toString(again.outcome), QStringLiteral("circuit_open"));
        QVERIFY2(again.error.startsWith(QStringLiteral("storage: ")), qPrintable(again.error));
        QCOMPARE(rig.charged(), std::uint64_t{1});
        rig.fault->failing = false;
        QVERIFY(rig.waitForStorage(true));
        rig.advance(5s);
        const PaymentResponse committed = rig.pay(QStringLiteral("k-r")).get();
        QCOMPARE(toString(committed.outcome), QStringLiteral("duplicate"));
        QVERIFY(committed.original == std::optional(PaymentOutcome::Charged));
        QCOMPARE(rig.charged(), std::uint64_t{1});
    }

    // stop() on a store that keeps failing returns within its grace, not never.
    void stoppingDuringTheFailureEndsInBoundedTime() {
        Rig rig;
        rig.fault->failing = true;
        auto first = rig.pay(QStringLiteral("k-s"));
        QVERIFY(rig.waitForStorage(false));
        QElapsedTimer timer;
        timer.start();
        rig.router.reset();
        rig.engine->stop();
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestStorageFailure)
#include "tst_storage_failure.moc"
