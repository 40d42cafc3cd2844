// A damaged audit database stops the start with a message that says what to do, exit 1; `audit
// recover` does it; the engine then starts, and every earlier key comes back as itself (issue 14).
#include "headless_process.h"
#include "isolated_home.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

namespace {
constexpr int kPayments = 40;

QByteArray paymentFor(int i) {
    return QStringLiteral(
               R"({"customer_id":"recover_%1","merchant_id":"m1","amount":"%2.00","currency":"USD","idempotency_key":"recover-key-%1"})")
        .arg(i)
        .arg(1 + i)
        .toUtf8();
}

// kPayments keyed payments, one after another; the outcome ("status") of each.
QStringList pay(HeadlessProcess& engine, QStringList* receipts) {
    QNetworkAccessManager nam;
    QStringList outcomes;
    for (int i = 0; i < kPayments; ++i) {
        const HttpResult r = QCoro::waitFor(request(nam, "POST", engine.url("/v1/payments"), paymentFor(i)));
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        outcomes << o.value("status").toString();
        *receipts << o.value("receipt_id").toString();
    }
    return outcomes;
}

bool damage(const QString& path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr);
    const bool ok = sqlite3_exec(db, "UPDATE idempotency SET stored_at_ms = 'soon' WHERE rowid % 4 = 0",
                                 nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close_v2(db);
    return ok;
}
}  // namespace

class TestAuditRecoverCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aDamagedDatabaseIsRefusedRecoveredAndEveryKeyComesBack() {
        QTemporaryDir dataDir;
        QStringList receipts;
        {
            HeadlessProcess engine({"--data-dir", dataDir.path()});
            QVERIFY2(engine.running(), engine.log().constData());
            const QStringList outcomes = pay(engine, &receipts);
            QCOMPARE(outcomes.count("charged"), kPayments);
        }  // SIGTERM: a clean stop
        QVERIFY(damage(dataDir.filePath("audit.sqlite")));

        const IsolatedHome home;
        QProcess refused;
        home.applyTo(refused);
        refused.setProcessChannelMode(QProcess::MergedChannels);
        refused.start(TAI_CONSOLE_BIN,
                      {"--headless", "--listen", "127.0.0.1:0", "--data-dir", dataDir.path()});
        QVERIFY(refused.waitForFinished(30'000));
        const QByteArray why = refused.readAll();
        QCOMPARE(refused.exitCode(), 1);
        QVERIFY2(why.contains(QByteArray(dataDir.filePath("audit.sqlite").toUtf8() + " cannot be trusted")),
                 why.constData());
        QVERIFY2(why.contains("10 of 40 idempotency rows are damaged"), why.constData());
        QVERIFY2(why.contains(QByteArray("tai-console audit recover --data-dir " + dataDir.path().toUtf8())),
                 why.constData());

        QProcess recover;
        home.applyTo(recover);
        recover.start(TAI_CONSOLE_BIN, {"audit", "recover", "--data-dir", dataDir.path()});
        QVERIFY(recover.waitForFinished(30'000));
        const QByteArray report = recover.readAllStandardOutput();
        QCOMPARE(recover.exitCode(), 0);
        QVERIFY2(report.contains("idempotency: 30 rows recovered, 10 lost"), report.constData());
        QVERIFY2(report.contains("10 idempotency keys rebuilt from the decisions in the trail"),
                 report.constData());
        const QStringList aside = QDir(dataDir.path()).entryList({"audit.sqlite.damaged-*"}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QVERIFY(report.contains(aside.front().toUtf8()));

        HeadlessProcess restarted({"--data-dir", dataDir.path()});
        QVERIFY2(restarted.running(), restarted.log().constData());
        QStringList again;
        const QStringList outcomes = pay(restarted, &again);
        QCOMPARE(outcomes.count("duplicate"), kPayments);  // nothing charged twice
        QCOMPARE(again, receipts);
    }

    void recoverWithoutADatabaseSaysSoAndExitsOne() {
        const IsolatedHome home;
        QTemporaryDir dataDir;
        QProcess recover;
        home.applyTo(recover);
        recover.start(TAI_CONSOLE_BIN, {"--recover-audit", "--data-dir", dataDir.path()});
        QVERIFY(recover.waitForFinished(30'000));
        QCOMPARE(recover.exitCode(), 1);
        const QByteArray error = recover.readAllStandardError();
        QVERIFY2(error.contains(QByteArray("no audit database at " + dataDir.path().toUtf8())),
                 error.constData());
    }

    void recoverWithoutADataDirWorksOnTheDefaultOne() {
        const IsolatedHome home;
        QProcess recover;
        home.applyTo(recover);
        recover.start(TAI_CONSOLE_BIN, {"audit", "recover"});
        QVERIFY(recover.waitForFinished(30'000));
        QCOMPARE(recover.exitCode(), 1);
        const QByteArray error = recover.readAllStandardError();
        QVERIFY2(error.contains(QByteArray("no audit database at " + home.dataHome().toUtf8() +
                                           "/tai-console/audit.sqlite")),
                 error.constData());
    }
};

QTEST_GUILESS_MAIN(TestAuditRecoverCli)
#include "tst_audit_recover_cli.moc"
