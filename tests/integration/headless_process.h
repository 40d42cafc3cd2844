#pragma once

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include "isolated_home.h"

#include <QCoroNetworkReply>
#include <QCoroTask>

#include <memory>

// A real `tai-console --headless` on loopback, started and stopped by the test, with a home of
// its own. It learns the port (the test asks for port 0) and the token file from the process log.
class HeadlessProcess {
public:
    enum class Mode { Headless, Console };

    // The console (Mode::Console) runs offscreen and serves the same API.
    explicit HeadlessProcess(QStringList args, Mode mode = Mode::Headless) {
        process_.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = home_.environment();
        if (mode == Mode::Console) {
            environment.insert("QT_QPA_PLATFORM", "offscreen");
        }
        process_.setProcessEnvironment(environment);
        process_.start(QStringLiteral(TAI_CONSOLE_BIN),
                       (mode == Mode::Headless ? QStringList{"--headless"} : QStringList{}) +
                           QStringList{"--listen", "127.0.0.1:0", "--load", "0"} + args);
        static const QRegularExpression listening(
            "listening on http://127\\.0\\.0\\.1:(\\d+) \\(control token in ([^)]+)\\)");
        QTRY_VERIFY_WITH_TIMEOUT(
            (log_ += process_.readAll(), listening.match(QString::fromUtf8(log_)).hasMatch()) ||
                process_.state() == QProcess::NotRunning,
            20000);
        const auto match = listening.match(QString::fromUtf8(log_));
        if (match.hasMatch()) {
            port_ = match.captured(1).toUShort();
            QFile token(match.captured(2));
            if (token.open(QIODevice::ReadOnly)) {
                token_ = token.readAll().trimmed();
            }
        }
    }
    ~HeadlessProcess() { stop(); }

    bool running() const { return port_ != 0 && process_.state() == QProcess::Running; }
    quint16 port() const { return port_; }
    QByteArray token() const { return token_; }
    QByteArray log() { return log_ += process_.readAll(); }
    qint64 pid() const { return process_.processId(); }
    void stop() {
        if (process_.state() != QProcess::NotRunning) {
            process_.terminate();
            if (!process_.waitForFinished(10000)) {
                process_.kill();
                process_.waitForFinished(5000);
            }
        }
    }
    // Waits for the process to end by itself (after a signal the test sent).
    bool waitForExit(int ms) {
        return process_.state() == QProcess::NotRunning || process_.waitForFinished(ms);
    }
    int exitCode() const { return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1; }
    void kill() {
        process_.kill();  // SIGKILL: no chance to flush or clean up
        process_.waitForFinished(5000);
    }
    QUrl url(const QString& path) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port_).arg(path));
    }

    const IsolatedHome& home() const { return home_; }

private:
    IsolatedHome home_;  // outlives the process: declared first
    QProcess process_;
    QByteArray log_;
    quint16 port_ = 0;
    QByteArray token_;
};

struct HttpResult {
    int status = 0;  // 0: no HTTP answer (connection error)
    QByteArray body;
    QByteArray retryAfter;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

// One request over real HTTP, awaited with QCoro.
inline QCoro::Task<HttpResult> request(QNetworkAccessManager& nam, QByteArray method, QUrl url,
                                       QByteArray body = {},
                                       QList<QPair<QByteArray, QByteArray>> headers = {}) {
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    req.setTransferTimeout(20000);
    for (const auto& [name, value] : headers) {
        req.setRawHeader(name, value);
    }
    std::unique_ptr<QNetworkReply> reply(method == "GET" ? nam.get(req)
                                                         : nam.sendCustomRequest(req, method, body));
    co_await reply.get();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.retryAfter = reply->rawHeader("Retry-After");
    result.error = reply->error();
    co_return result;
}
