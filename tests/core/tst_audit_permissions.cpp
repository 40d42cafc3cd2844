// The audit trail is its owner's only (issue 14 item 7): data dir 0700, database files 0600.
#include "audit/audit_store.h"
#include "audit_fixture.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace tai;

namespace {
int modeOf(const QString& path) {
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        return -1;
    }
    return static_cast<int>(info.st_mode & 07777);
}
}  // namespace

class TestAuditPermissions : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir;

private Q_SLOTS:
    void aNewDataDirAndItsDatabaseAreTheOwnersOnly() {
        const QString dataDir = dir.filePath("fresh/data");
        const QString path = dataDir + "/audit.sqlite";
        const mode_t before = ::umask(022);  // the usual umask, which would make them 0755 and 0644
        QString error;
        auto store = AuditStore::open(audit_fixture::options(path), &error);
        ::umask(before);
        QVERIFY2(store, qPrintable(error));
        store->append(AuditRow{audit_fixture::kNow, {}, "operator", "x", "{}", "v1"});
        QVERIFY(store->flush());
        QCOMPARE(modeOf(dataDir), 0700);
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(path + "-wal"), 0600);
        QCOMPARE(modeOf(path + "-shm"), 0600);
    }

    void existingFilesThatOthersCanReadAreTightened() {
        const QString dataDir = dir.filePath("old");
        const QString path = dataDir + "/audit.sqlite";
        QVERIFY(QDir().mkpath(dataDir));
        audit_fixture::populate(path, 10);
        QVERIFY(::chmod(QFile::encodeName(dataDir).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QString error;
        auto store = AuditStore::open(audit_fixture::options(path), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(modeOf(dataDir), 0700);
        QCOMPARE(modeOf(path), 0600);
        QVERIFY(store->flush());
        QCOMPARE(modeOf(path + "-wal"), 0600);
    }
};

QTEST_GUILESS_MAIN(TestAuditPermissions)
#include "tst_audit_permissions.moc"
