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
// Version 1 of the schema, as the Qt SQL store created it.
const QByteArray kVersion1Schema =
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER);"
    "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, trace_id "
    "TEXT, "
    "kind TEXT NOT NULL, subject TEXT, payload TEXT, policy_version TEXT);"
    "CREATE INDEX audit_kind ON audit_events(kind, seq); CREATE INDEX audit_subject ON audit_events(subject, "
    "seq);"
    "CREATE INDEX audit_trace ON audit_events(trace_id); CREATE INDEX audit_time ON audit_events(at_ms);"
    "CREATE TABLE idempotency (key TEXT PRIMARY KEY, hash TEXT NOT NULL, response TEXT NOT NULL, "
    "stored_at_ms INTEGER NOT NULL);"
    "CREATE TABLE rollouts (id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL);"
    "INSERT INTO schema_migrations VALUES (1, 0);";
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

    // Issue 16 item 1: no commit tick. While one commit runs, everything that queues behind it
    // goes into the next, in transactions of at most 1000 rows: 1 + 2500 rows are four commits.
    void aGroupIsEverythingThatQueuedWhileTheCommitBeforeRan() {
        std::promise<void> entered;
        std::promise<void> gate;
        std::shared_future<void> opened = gate.get_future().share();
        std::atomic<int> calls{0};
        std::atomic<bool> armed{false};  // the retention pass at open commits too
        AuditStore::Options o = options();
        o.injectFault = [&] {
            if (armed && ++calls == 1) {
                entered.set_value();
                opened.wait();  // the first commit is still running
            }
            return 0;
        };
        QString error;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        const auto before = store->commits();
        armed = true;
        std::atomic<int> released{0};
        store->appendDurable({row(now, "decision", "first")}, std::nullopt, [&released] { ++released; });
        entered.get_future().wait();
        for (int i = 0; i < 2500; ++i) {
            store->appendDurable({row(now, "decision", QStringLiteral("p%1").arg(i))}, std::nullopt,
                                 [&released] { ++released; });
        }
        QCOMPARE(released.load(), 0);
        QCOMPARE(store->pendingRows(), std::size_t{2501});
        gate.set_value();
        QVERIFY(store->flush());
        QCOMPARE(released.load(), 2501);
        QCOMPARE(store->commits() - before, 4u);
        QCOMPARE(store->committedRows(), 2501u);
    }

    // With nothing else queued, a lone durable row is committed by itself, not held for company.
    void aLoneRowIsCommittedWithoutWaitingForOthers() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        QVERIFY2(store, qPrintable(error));
        for (int i = 0; i < 5; ++i) {
            std::promise<void> done;
            store->appendDurable({row(now, "decision", QStringLiteral("p%1").arg(i))}, std::nullopt,
                                 [&done] { done.set_value(); });
            done.get_future().wait();
        }
        QCOMPARE(store->commits(), 5u);
    }

    void sequencesKeepRisingAfterRetentionEmptiedTheTrail() {
        QTemporaryDir fresh;
        AuditStore::Options o = options();
        o.path = fresh.filePath("a.sqlite");
        QString error;
        auto store = AuditStore::open(o, &error);
        for (int i = 0; i < 10; ++i) {
            store->append(row(now, "decision", "old"));
        }
        QVERIFY(store->flush());
        store.reset();
        now += 31LL * 86'400'000;
        store = AuditStore::open(o, &error);  // retention at open deletes all ten
        AuditQuery all;
        QCOMPARE(store->query(all).size(), std::size_t{0});
        store->append(row(now, "decision", "new"));
        QVERIFY(store->flush());
        store.reset();
        store = AuditStore::open(o, &error);
        const auto records = store->query(all);
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records.front().seq, 11);  // never reused: pages by seq stay valid
    }

    // Time ranges go through the per-minute table, exactly, even when a clock stepped back.
    void timeRangesSpanMinutesAndSurviveAClockSteppingBack() {
        QString error;
        auto store = AuditStore::open(options(), &error);
        const std::int64_t minute = 60'000;
        for (int m = 0; m < 10; ++m) {
            store->append(row(now + m * minute + 30'000, "decision", QStringLiteral("m%1").arg(m)));
        }
        store->append(row(now + 2 * minute + 1, "decision", "late"));  // written after minute 9
        QVERIFY(store->flush());
        AuditQuery window;
        window.fromMs = now + 2 * minute;
        window.toMs = now + 4 * minute + 59'999;
        QStringList subjects;
        for (const AuditRecord& r : store->query(window)) {
            subjects << r.row.subject;
        }
        QCOMPARE(subjects, (QStringList{"m2", "m3", "m4", "late"}));
        AuditQuery empty;
        empty.fromMs = now + 20 * minute;
        QCOMPARE(store->query(empty).size(), std::size_t{0});
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

    // A version 1 file (Qt SQL days) is verified as it is, then rebuilt into version 2.
    void aVersion1DatabaseIsMigratedWithItsRowsKeysAndSequences() {
        QTemporaryDir fresh;
        const QString path = fresh.filePath("v1.sqlite");
        {
            QFile create(path);
            QVERIFY(create.open(QIODevice::WriteOnly));
        }
        {
            RawDatabase db(path);
            QVERIFY(db.exec(kVersion1Schema));
            QVERIFY(db.exec(
                "INSERT INTO audit_events (at_ms, trace_id, kind, subject, payload, policy_version) VALUES "
                "(" +
                QByteArray::number(now) + ", 't1', 'decision', 'p1', '{}', '2026-01'), (" +
                QByteArray::number(now) + ", 't2', 'operator', 'gw', '{}', '2026-02')"));
            QVERIFY(db.exec("INSERT INTO idempotency VALUES ('k1', 'abc123', '" + kCharged + "', " +
                            QByteArray::number(now) + ")"));
        }
        AuditStore::Options o = options();
        o.path = path;
        QString error;
        auto store = AuditStore::open(o, &error);
        QVERIFY2(store, qPrintable(error));
        const KeyLookup key = store->findIdempotency("k1", now);
        QCOMPARE(key.status, KeyLookup::Status::Found);
        QCOMPARE(key.row.canonicalHash, QByteArray("abc123"));
        QCOMPARE(key.row.response, kCharged);
        const auto events = store->query(AuditQuery{});
        QCOMPARE(events.size(), std::size_t{2});
        QCOMPARE(events[1].row.policyVersion, QStringLiteral("2026-02"));
        AuditQuery byKind;
        byKind.kinds = {"operator"};
        QCOMPARE(store->query(byKind).size(), std::size_t{1});
        store->append(row(now, "decision", "after"));
        QVERIFY(store->flush());
        QCOMPARE(store->query(AuditQuery{}).back().seq, 3);
        store.reset();
        RawDatabase db(path);
        QCOMPARE(db.integer("SELECT MAX(version) FROM schema_migrations"), 2);
    }

    void aDamagedVersion1DatabaseIsRefusedBeforeItIsMigrated() {
        QTemporaryDir fresh;
        const QString path = fresh.filePath("v1.sqlite");
        {
            QFile create(path);
            QVERIFY(create.open(QIODevice::WriteOnly));
        }
        {
            RawDatabase db(path);
            QVERIFY(db.exec(kVersion1Schema));
            QVERIFY(db.exec("INSERT INTO idempotency VALUES ('k1', 'abc', '{}', 'noon')"));
        }
        AuditStore::Options o = options();
        o.path = path;
        QString error;
        QVERIFY(!AuditStore::open(o, &error));
        QVERIFY2(error.contains("stored_at_ms is text, not a number"), qPrintable(error));
        RawDatabase db(path);
        QCOMPARE(db.integer("SELECT MAX(version) FROM schema_migrations"), 1);  // left as it was
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
