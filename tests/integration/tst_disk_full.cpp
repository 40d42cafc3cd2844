// Issue 14: a full disk under load, against a real `tai-console --headless` whose data dir is on
// a small tmpfs that the test fills. Payments answer 503 within the action timeout (refused
// before the gateway, or "pending" for one charged whose commit failed), /readyz answers 503 with
// the reason, the storage breaker's CRITICAL alert fires; once space returns, every key's retry
// returns its committed outcome, nothing lost and nothing charged twice. SIGTERM during the
// failure ends the process within 5 s. Mounting needs root (CI runs as root); where it is not
// allowed, tst_storage_failure covers the same path with injected commit failures.
#include "headless_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/mount.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

namespace {

const QString kPolicy = QStringLiteral(TAI_TEST_DATA "/policy-storage.json");  // action timeout 2 s
constexpr qint64 kActionTimeoutMs = 2000;

struct Answer {
    HttpResult result;
    qint64 ms = 0;
    QString status() const {
        return QJsonDocument::fromJson(result.body).object().value("status").toString();
    }
    QString receipt() const {
        return QJsonDocument::fromJson(result.body).object().value("receipt_id").toString();
    }
};

QByteArray payment(const QString& key) {
    return QJsonDocument(QJsonObject{{"customer_id", QString(QStringLiteral("c-") + key)},
                                     {"merchant_id", "m1"},
                                     {"amount", "1.00"},
                                     {"currency", "USD"},
                                     {"idempotency_key", key}})
        .toJson(QJsonDocument::Compact);
}

// A tmpfs of `size` at a fresh directory, unmounted when it goes.
class SmallDisk {
public:
    explicit SmallDisk(const char* size) {
        mounted_ = ::mount("tmpfs", QFile::encodeName(dir_.path()).constData(), "tmpfs", 0,
                           QByteArray(QByteArray("size=") + size).constData()) == 0;
        error_ = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~SmallDisk() {
        if (mounted_) {
            ::umount2(QFile::encodeName(dir_.path()).constData(), MNT_DETACH);
        }
    }
    bool mounted() const { return mounted_; }
    QString error() const { return error_; }
    QString path(const QString& name) const { return dir_.filePath(name); }
    // Writes until the disk refuses a block; returns the bytes written.
    qint64 fill() {
        QFile filler(path("filler"));
        if (!filler.open(QIODevice::WriteOnly | QIODevice::Append)) {
            return -1;
        }
        const QByteArray block(64 * 1024, 'f');
        qint64 written = 0;
        while (filler.write(block) == block.size() && filler.flush()) {
            written += block.size();
        }
        // The last partial block, so not a page is left.
        const QByteArray page(4096, 'f');
        while (filler.write(page) == page.size() && filler.flush()) {
            written += page.size();
        }
        return written;
    }
    bool freeSpace() { return QFile::remove(path("filler")); }

private:
    QTemporaryDir dir_;
    bool mounted_ = false;
    QString error_;
};

QJsonObject state(QNetworkAccessManager& nam, const HeadlessProcess& engine) {
    return QJsonDocument::fromJson(QCoro::waitFor(request(nam, "GET", engine.url("/v1/state"))).body)
        .object();
}

// Payments from `clients` connections, each with a key of its own, until `stop`.
struct Load {
    std::map<QString, std::vector<Answer>> byKey;
    std::vector<QCoro::Task<void>> clients;
    bool stop = false;
    int running = 0;
    int answered = 0;

    void start(QNetworkAccessManager& nam, const HeadlessProcess& engine, int connections) {
        for (int c = 0; c < connections; ++c) {
            ++running;
            clients.push_back([](QNetworkAccessManager& n, const HeadlessProcess& e, int c,
                                 Load& load) -> QCoro::Task<void> {
                for (int i = 0; !load.stop; ++i) {
                    const QString key = QStringLiteral("k-%1-%2").arg(c).arg(i);
                    QElapsedTimer timer;
                    timer.start();
                    HttpResult result = co_await request(n, "POST", e.url("/v1/payments"), payment(key));
                    load.byKey[key].push_back(Answer{std::move(result), timer.elapsed()});
                    ++load.answered;
                }
                --load.running;
            }(nam, engine, c, *this));
        }
    }
};

}  // namespace

class TestDiskFull : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aFullDiskFailsFastAndLosesNothing() {
        SmallDisk disk("64m");  // room for the WAL (4 MB before a checkpoint) and the database
        if (!disk.mounted()) {
            QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here (%1); tst_storage_failure injects "
                                            "the same failures in process")
                                 .arg(disk.error())));
        }
        HeadlessProcess engine({"--data-dir", disk.path("data"), "--policy", kPolicy});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        QNetworkAccessManager watcher;  // nam's six connections per host are the load's
        Load load;
        load.start(nam, engine, 6);
        QTRY_VERIFY_WITH_TIMEOUT(load.answered >= 60, 20000);
        for (const auto& [key, answers] : load.byKey) {
            QVERIFY2(answers.front().result.status == 200, answers.front().result.body.constData());
        }

        // The disk fills up under load.
        QVERIFY(disk.fill() > 0);
        const int beforeFull = load.answered;
        const auto ready = [&] {
            return QCoro::waitFor(request(watcher, "GET", engine.url("/readyz")));
        };
        QTRY_VERIFY_WITH_TIMEOUT(ready().status == 503, 20000);
        const HttpResult notReady = ready();
        const QJsonObject why = QJsonDocument::fromJson(notReady.body).object();
        QCOMPARE(why.value("field").toString(), QStringLiteral("storage"));
        QVERIFY2(notReady.body.contains("audit commits fail"), notReady.body.constData());
        QVERIFY2(notReady.body.contains("full"), notReady.body.constData());
        QCOMPARE(notReady.retryAfter, QByteArray("1"));

        // The storage breaker is open and Andon fires CRITICAL for it.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonObject s = state(watcher, engine);
                bool open = false;
                for (const QJsonValue& b : s.value("breakers").toArray()) {
                    open |= b.toObject().value("name") == "storage" && b.toObject().value("state") == "open";
                }
                bool critical = false;
                for (const QJsonValue& a : s.value("alerts").toArray()) {
                    const QJsonObject o = a.toObject();
                    critical |= o.value("key") == "breaker_open/storage" &&
                                o.value("severity") == "CRITICAL" && o.value("state") == "firing";
                }
                return open && critical && s.value("light") == "RED" &&
                       !s.value("storage").toObject().value("ok").toBool(true);
            }(),
            10000);
        // Payments keep coming for a while, and every one is answered within the action timeout.
        QTest::qWait(static_cast<int>(kActionTimeoutMs) + 1500);
        int refused = 0;
        int pending = 0;
        for (const auto& [key, answers] : load.byKey) {
            for (const Answer& a : answers) {
                QVERIFY2(a.ms <= kActionTimeoutMs + 1000,
                         qPrintable(QStringLiteral("%1 took %2 ms").arg(key).arg(a.ms)));
                if (a.result.status == 503) {
                    QVERIFY2(a.result.retryAfter.toInt() >= 1, a.result.body.constData());
                    refused += a.status() == u"circuit_open" ? 1 : 0;
                    pending += a.status() == u"pending" ? 1 : 0;
                    QVERIFY2(a.status() == u"circuit_open" || a.status() == u"pending",
                             a.result.body.constData());
                }
            }
        }
        QVERIFY2(load.answered > beforeFull, "the load stopped during the failure");
        QVERIFY2(refused > 0, "no payment was refused before the gateway");
        qInfo("during the failure: %d refused before the gateway, %d answered pending", refused, pending);

        // Space comes back: commits go through, the breaker closes, the instance is ready again.
        QVERIFY(disk.freeSpace());
        QTRY_VERIFY2_WITH_TIMEOUT(ready().status == 200,
                                  QByteArray(QJsonDocument(state(watcher, engine).value("storage").toObject())
                                                 .toJson(QJsonDocument::Compact) +
                                             ready().body)
                                      .constData(),
                                  20000);
        load.stop = true;
        QTRY_COMPARE_WITH_TIMEOUT(load.running, 0, 20000);

        // Every key that did not get its outcome is retried with the same key, and gets it now.
        int retried = 0;
        for (auto& [key, answers] : load.byKey) {
            if (answers.back().result.status == 200) {
                continue;
            }
            const HttpResult again =
                QCoro::waitFor(request(watcher, "POST", engine.url("/v1/payments"), payment(key)));
            answers.push_back(Answer{again, 0});
            ++retried;
            QVERIFY2(again.status == 200,
                     qPrintable(QString(key + QStringLiteral(": ") + QString::fromUtf8(again.body))));
            const QString status = answers.back().status();
            const QString original =
                QJsonDocument::fromJson(again.body).object().value("original").toString();
            // A charge that waited for its commit comes back as a duplicate of it; a payment that
            // was refused before the gateway is charged now.
            QVERIFY2(status == u"charged" || (status == u"duplicate" && original == u"charged"),
                     qPrintable(QString(key + QStringLiteral(": ") + QString::fromUtf8(again.body))));
        }
        QVERIFY(retried >= refused);
        // Nothing doubled: one charge per key, and every 200 for a key carries the same receipt.
        for (const auto& [key, answers] : load.byKey) {
            QString receipt;
            for (const Answer& a : answers) {
                if (a.result.status == 200) {
                    QVERIFY2(!a.receipt().isEmpty(), a.result.body.constData());
                    QVERIFY2(receipt.isEmpty() || receipt == a.receipt(), qPrintable(key));
                    receipt = a.receipt();
                }
            }
            QVERIFY2(!receipt.isEmpty(), qPrintable(QString(key + QStringLiteral(" never got its outcome"))));
        }
        const auto charged = [&] {
            return state(watcher, engine)
                .value("kpis")
                .toObject()
                .value("totals")
                .toObject()
                .value("charged")
                .toInteger();
        };
        QTRY_COMPARE_WITH_TIMEOUT(charged(), static_cast<qint64>(load.byKey.size()),
                                  2000);  // 10 Hz snapshots
        QTest::qWait(300);
        QCOMPARE(charged(), static_cast<qint64>(load.byKey.size()));
        QVERIFY2(engine.log().contains("commits go through again"), engine.log().constData());
    }

    void sigtermDuringTheFailureEndsWithinFiveSeconds() {
        SmallDisk disk("64m");
        if (!disk.mounted()) {
            QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here (%1); tst_storage_failure stops an "
                                            "engine during injected failures")
                                 .arg(disk.error())));
        }
        HeadlessProcess engine({"--data-dir", disk.path("data"), "--policy", kPolicy});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        QNetworkAccessManager watcher;
        Load load;
        load.start(nam, engine, 4);
        QTRY_VERIFY_WITH_TIMEOUT(load.answered >= 20, 20000);
        QVERIFY(disk.fill() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(QCoro::waitFor(request(watcher, "GET", engine.url("/readyz"))).status == 503,
                                 20000);

        QElapsedTimer stopping;
        stopping.start();
        QVERIFY(::kill(static_cast<pid_t>(engine.pid()), SIGTERM) == 0);
        QVERIFY(engine.waitForExit(5000));
        QVERIFY2(stopping.elapsed() < 5000, qPrintable(QString::number(stopping.elapsed())));
        QVERIFY2(engine.log().contains("uncommitted"), engine.log().constData());
        load.stop = true;
        QTRY_COMPARE_WITH_TIMEOUT(load.running, 0, 20000);  // every client got an answer or a close
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
