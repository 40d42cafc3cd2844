// DESIGN.md §3: the GUI thread never touches SQLite. The console names its GUI thread; every way
// into SQLite in the audit layer checks it.
#include "audit/audit_store.h"
#include "audit/sqlite_thread_guard.h"
#include "audit_fixture.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <mutex>
#include <thread>

using namespace tai;

class TestSqliteThreadGuard : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;
    std::mutex mutex;
    QStringList violations;

    void record() {
        SqliteThreadGuard::setViolationHandler([this](const char* where) {
            std::lock_guard lock(mutex);
            violations << QString::fromUtf8(where);
        });
    }

private Q_SLOTS:
    void cleanup() {
        SqliteThreadGuard::forbid({});
        SqliteThreadGuard::setViolationHandler({});
        violations.clear();
    }

    void everyWayIntoSqliteFromTheForbiddenThreadIsCaught() {
        QString error;
        auto store = AuditStore::open(audit_fixture::options(dir.filePath("a.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        record();
        SqliteThreadGuard::forbid(std::this_thread::get_id());
        store->query(AuditQuery{});
        store->findIdempotency("k", audit_fixture::kNow);
        store->loadRollouts();
        store->storedKeyCount();
        QString ignored;
        store->exportTo(AuditQuery{}, "jsonl", dir.filePath("out.jsonl"), &ignored);
        auto second = AuditStore::open(audit_fixture::options(dir.filePath("b.sqlite")), &ignored);
        std::lock_guard lock(mutex);
        for (const char* where :
             {"audit query", "idempotency lookup", "load rollouts", "count keys", "open"}) {
            QVERIFY2(violations.contains(QString::fromUtf8(where)), where);
        }
    }

    void otherThreadsAreFree() {
        QString error;
        auto store = AuditStore::open(audit_fixture::options(dir.filePath("c.sqlite")), &error);
        QVERIFY2(store, qPrintable(error));
        record();
        SqliteThreadGuard::forbid(std::this_thread::get_id());
        std::thread worker([&store] {
            store->query(AuditQuery{});
            store->findIdempotency("k", audit_fixture::kNow);
        });
        worker.join();
        store->append(AuditRow{audit_fixture::kNow, {}, "operator", "x", "{}", "v1"});
        QVERIFY(store->flush());  // the writer thread is not the forbidden one either
        std::lock_guard lock(mutex);
        QCOMPARE(violations, QStringList{});
    }

    // Without a handler of its own, a debug build stops at the violation; a release build logs it.
    void theDefaultIsToStopInADebugBuildAndToLogInARelease() {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TAI_GUARD_CHILD", dir.filePath("child.sqlite"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(60'000));
        const QByteArray output = child.readAllStandardError() + child.readAllStandardOutput();
        QVERIFY2(output.contains("SQLite touched from the GUI thread (audit query)"), output.constData());
#ifndef NDEBUG
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
#else
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
#endif
    }
};

// The child of the last test: the main thread is forbidden, then queries.
static int guardChild(const QString& path) {
    QString error;
    auto store = AuditStore::open(audit_fixture::options(path), &error);
    if (!store) {
        return 2;
    }
    SqliteThreadGuard::forbid(std::this_thread::get_id());
    store->query(AuditQuery{});
    SqliteThreadGuard::forbid({});
    return 0;
}

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    if (const QString child = qEnvironmentVariable("TAI_GUARD_CHILD"); !child.isEmpty()) {
        return guardChild(child);
    }
    TestSqliteThreadGuard test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_sqlite_thread_guard.moc"
