#pragma once

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// A real `nats-server -js` on a random loopback port with a temporary store, started and stopped
// by the test. The port comes from the server's own log line (it is started with -p -1 the first
// time); restart() comes back on the same port with the same store, as a restarted server would.
class NatsTestServer {
public:
    NatsTestServer() {
        binary_ = QStandardPaths::findExecutable(QStringLiteral("nats-server"));
        if (binary_.isEmpty()) {
            binary_ =
                QStandardPaths::findExecutable(QStringLiteral("nats-server"), {QStringLiteral("/usr/sbin")});
        }
        start(-1);
    }
    ~NatsTestServer() { stop(); }
    NatsTestServer(const NatsTestServer&) = delete;
    NatsTestServer& operator=(const NatsTestServer&) = delete;

    bool running() const { return port_ != 0 && process_.state() == QProcess::Running; }
    quint16 port() const { return port_; }
    QString url() const { return QStringLiteral("nats://127.0.0.1:%1").arg(port_); }
    QString binary() const { return binary_; }
    QByteArray log() { return log_ += process_.readAll(); }

    void stop() {
        if (process_.state() != QProcess::NotRunning) {
            if (paused_) {
                resume();
            }
            process_.terminate();
            if (!process_.waitForFinished(10000)) {
                process_.kill();
                process_.waitForFinished(5000);
            }
        }
        log_ += process_.readAll();
    }
    // Same port; the same store directory, or (`keepStore` false) an empty one, as after a disk loss.
    bool restart(bool keepStore = true) {
        stop();
        if (!keepStore) {
            QDir(dir_.filePath(QStringLiteral("store"))).removeRecursively();
        }
        for (int attempt = 0; attempt < 20; ++attempt) {
            if (start(port_)) {
                return true;
            }
            QTest::qWait(100);  // the old socket may linger for a moment
        }
        return false;
    }
    // SIGSTOP: the server hangs, its sockets stay open. Returns once every thread of it has
    // stopped (the signal takes effect asynchronously), false if that did not happen in time.
    bool pause() {
        const qint64 pid = process_.processId();
        ::kill(static_cast<pid_t>(pid), SIGSTOP);
        paused_ = true;
        return QTest::qWaitFor([pid] { return allThreadsStopped(pid); }, 5000);
    }
    void resume() {
        ::kill(static_cast<pid_t>(process_.processId()), SIGCONT);
        paused_ = false;
    }

private:
    static bool allThreadsStopped(qint64 pid) {
        const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
        const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString& thread : threads) {
            QFile stat(tasks.filePath(thread + QStringLiteral("/stat")));
            if (!stat.open(QIODevice::ReadOnly)) {
                return false;
            }
            // "pid (comm) S …": the state follows the last ')'.
            const QByteArray line = stat.readAll();
            const qsizetype close = line.lastIndexOf(')');
            if (close < 0 || line.mid(close + 2, 1) != "T") {
                return false;
            }
        }
        return !threads.isEmpty();
    }

    bool start(int port) {
        if (binary_.isEmpty() || !dir_.isValid()) {
            return false;
        }
        process_.setProcessChannelMode(QProcess::MergedChannels);
        process_.start(binary_, {QStringLiteral("-js"), QStringLiteral("-a"), QStringLiteral("127.0.0.1"),
                                 QStringLiteral("-p"), QString::number(port), QStringLiteral("-sd"),
                                 dir_.filePath(QStringLiteral("store"))});
        static const QRegularExpression listening(
            QStringLiteral("Listening for client connections on 127\\.0\\.0\\.1:(\\d+)"));
        QByteArray output;
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && process_.state() != QProcess::NotRunning) {
            process_.waitForReadyRead(100);
            output += process_.readAll();
            if (output.contains("Server is ready")) {
                break;
            }
        }
        log_ += output;
        const auto match = listening.match(QString::fromUtf8(output));
        if (!output.contains("Server is ready") || !match.hasMatch()) {
            process_.kill();
            process_.waitForFinished(5000);
            return false;
        }
        port_ = match.captured(1).toUShort();
        return true;
    }

    QString binary_;
    QTemporaryDir dir_;
    QProcess process_;
    QByteArray log_;
    quint16 port_ = 0;
    bool paused_ = false;
};
