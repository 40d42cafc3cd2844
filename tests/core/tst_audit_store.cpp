// The durable audit trail (DESIGN.md §7) on a real SQLite file.
#include "audit/audit_store.h"
#include "raw_database.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <future>

using namespace tai;

namespace {
AuditRow row(std::int64_t at, const QString& kind, const QString& subject, const QString& trace = {}) {
    return AuditRow{at, trace, kind, subject, R"({"text":"x"})", QStringLiteral("v1")};
}
// Raw strings with quotes stay outside the Q_OBJECT class: moc's tokenizer loses track of them.
const QByteArray kCharged = R"({"status":"charged"})";
const QByteArray kOperatorPayload = R"({"actor":"ana","reason":"a \"quoted\", reason"})";
const QByteArray kCsvPayload = R"("{""actor"":""ana"",""reason"":""a \""quoted\"", reason""}")";
const QByteArray kJsonActor = R"("actor":"ana")";
}  // namespace

class TestAuditStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    std::int64_t now = 1'767'225'600'000;
    AuditStore::Options options() {
        return AuditStore::Options{dir.filePath("audit.sqlite"), 30, [this] {
                                       return now;
                                   }};
    }

private Q_SLOTS:
    void migratesOnceAndUsesWal() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        QVERIFY2(store, qPrintable(error));
        store.reset();
        store = AuditStore::open(options(), &error);  // a second open finds the schema current
        QVERIFY2(store, qPrintable(error));
        RawDatabase db(dir.filePath("audit.sqlite"));
        QCOMPARE(db.text("PRAGMA journal_mode"), QByteArray("wal"));
        QCOMPARE(db.integer("SELECT MAX(version) FROM schema_migrations"), AuditStore::kSchemaVersion);
        QCOMPARE(db.integer("PRAGMA page_size"), 16384);
    }

    void aDurableAppendIsReleasedOnlyAfterItsCommit() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        std::promise<std::uint64_t> committedWhenReleased;
        AuditStore* raw = store.get();
        store->appendDurable(
            {row(now, "decision", "p1")}, IdempotencyRow{"key-1", "hash", kCharged, now},
            [&committedWhenReleased, raw] { committedWhenReleased.set_value(raw->committedRows()); });
        QCOMPARE(committedWhenReleased.get_future().get(), 1u);  // the row was already on disk
        const KeyLookup found = store->findIdempotency("key-1", now);
        QCOMPARE(found.status, KeyLookup::Status::Found);
        QCOMPARE(found.row.response, kCharged);
    }

    void groupCommitsBatchManyRows() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        const auto before = store->commits();
        for (int i = 0; i < 5000; ++i) {
            store->append(row(now, "decision", QStringLiteral("p%1").arg(i)));
        }
        store->flush();
        QVERIFY(store->committedRows() >= 5000);
        QVERIFY2(store->commits() - before <= 10,
                 qPrintable(QString::number(store->commits() - before)));  // not 5000 fsyncs
    }

    void queriesFilterAndPage() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        for (int i = 0; i < 30; ++i) {
            store->append(row(now + i, i % 3 == 0 ? "operator" : "decision", i % 2 ? "odd" : "even",
                              i == 7 ? "trace7" : ""));
        }
        store->flush();
        AuditQuery q;
        q.kinds = {"operator"};
        q.fromMs = now;
        QCOMPARE(store->query(q).size(), std::size_t{10});
        q.subject = "odd";
        QCOMPARE(store->query(q).size(), std::size_t{5});
        AuditQuery trace;
        trace.traceId = "trace7";
        QCOMPARE(store->query(trace).size(), std::size_t{1});
        AuditQuery page;
        page.fromMs = now;
        page.limit = 12;
        const auto first = store->query(page);
        page.afterSeq = first.back().seq;
        const auto second = store->query(page);
        QCOMPARE(first.size(), std::size_t{12});
        QVERIFY(second.front().seq > first.back().seq);
        AuditQuery window;
        window.fromMs = now + 10;
        window.toMs = now + 19;
        QCOMPARE(store->query(window).size(), std::size_t{10});
    }

    void exportsCsvAndJsonl() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        store->append(AuditRow{now, "t1", "operator", "payment-gateway", kOperatorPayload, "v1"});
        store->flush();
        AuditQuery q;
        q.subject = "payment-gateway";
        QCOMPARE(store->exportTo(q, "csv", dir.filePath("out.csv"), &error), 1);
        QCOMPARE(store->exportTo(q, "jsonl", dir.filePath("out.jsonl"), &error), 1);
        QCOMPARE(store->exportTo(q, "xml", dir.filePath("out.xml"), &error), -1);
        QCOMPARE(error, QStringLiteral("format: must be csv or jsonl"));
        QFile csv(dir.filePath("out.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readLine(), QByteArray("seq,at_ms,trace_id,kind,subject,policy_version,payload\n"));
        QVERIFY(csv.readLine().contains(kCsvPayload));
        QFile jsonl(dir.filePath("out.jsonl"));
        QVERIFY(jsonl.open(QIODevice::ReadOnly));
        QVERIFY(jsonl.readLine().contains(kJsonActor));
    }

    void retentionAndKeyExpiryAtOpen() {
        QTemporaryDir fresh;
        AuditStore::Options o{fresh.filePath("a.sqlite"), 30, [this] {
                                  return now;
                              }};
        QString error;
        auto store = AuditStore::open(o, &error);
        store->append(row(now - 31LL * 86'400'000, "decision", "old"));
        store->append(row(now, "decision", "new"));
        store->appendDurable({}, IdempotencyRow{"stale", "h", "{}", now - 25LL * 3'600'000}, {});
        store->flush();
        store.reset();
        store = AuditStore::open(o, &error);  // retention runs at open
        AuditQuery all;
        QCOMPARE(store->query(all).size(), std::size_t{1});
        QCOMPARE(store->storedKeyCount(), 0);
    }

    void anInMemoryStoreWorksForEphemeralRuns() {
        QString error;
        auto store = AuditStore::open(AuditStore::Options{{},
                                                          30,
                                                          [this] {
                                                              return now;
                                                          }},
                                      &error);
        QVERIFY2(store, qPrintable(error));
        store->append(row(now, "decision", "p"));
        store->flush();
        QCOMPARE(store->query(AuditQuery{}).size(), std::size_t{1});
    }

    void anUnopenableDatabaseIsAnError() {
        QString error;
        QVERIFY(!AuditStore::open(AuditStore::Options{"/proc/no/such/dir/a.sqlite", 30, {}}, &error));
        QVERIFY(error.startsWith("cannot open"));
    }
};

QTEST_GUILESS_MAIN(TestAuditStore)
#include "tst_audit_store.moc"
