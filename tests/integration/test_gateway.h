#pragma once

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <map>
#include <vector>

// A payment gateway on loopback for tests (README: Gateway wire contract). It can be told to
// answer, fail, be slow, hang or refuse connections, and it keeps every charge it was sent. Like a
// real gateway it deduplicates on Idempotency-Key: a key it has charged gets the same receipt.
class TestGateway : public QObject {
public:
    enum class Mode { Answer, Fail, Slow, Hang, Refuse };

    struct Charge {
        QByteArray idempotencyKey;
        QByteArray traceparent;
        QByteArray userAgent;
        QJsonObject body;
    };

    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        const bool ok = server_.listen(QHostAddress::LocalHost, 0);
        port_ = server_.serverPort();
        return ok;
    }
    quint16 port() const { return port_; }
    QByteArray url() const { return "http://127.0.0.1:" + QByteArray::number(port_) + "/charge"; }

    // Refuse closes the listening socket, so connections are refused; any other mode listens again.
    void setMode(Mode mode) {
        mode_ = mode;
        if (mode == Mode::Refuse) {
            server_.close();
        } else if (!server_.isListening()) {
            server_.listen(QHostAddress::LocalHost, port_);
        }
    }
    void setSlowMs(int ms) { slowMs_ = ms; }
    const std::vector<Charge>& charges() const { return charges_; }
    // Distinct receipts given per idempotency key (a real double charge would make it two).
    const std::map<QByteArray, QByteArray>& receipts() const { return receipts_; }

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        Charge charge;
        qsizetype length = 0;
        for (const QByteArray& line : buffer.left(end).split('\n')) {
            const QByteArray lower = line.toLower();
            const QByteArray value = line.mid(line.indexOf(':') + 1).trimmed();
            if (lower.startsWith("content-length:")) {
                length = value.toLongLong();
            } else if (lower.startsWith("idempotency-key:")) {
                charge.idempotencyKey = value;
            } else if (lower.startsWith("traceparent:")) {
                charge.traceparent = value;
            } else if (lower.startsWith("user-agent:")) {
                charge.userAgent = value;
            }
        }
        if (buffer.size() < end + 4 + length) {
            return;
        }
        charge.body = QJsonDocument::fromJson(buffer.mid(end + 4, length)).object();
        buffer.remove(0, end + 4 + length);
        charges_.push_back(charge);
        switch (mode_) {
            case Mode::Hang:
            case Mode::Refuse:
                return;  // never answers
            case Mode::Fail:
                answer(socket, "500 Internal Server Error", R"({"error":"acquirer unavailable"})");
                return;
            case Mode::Slow:
                QTimer::singleShot(slowMs_, socket,
                                   [this, socket, charge] { answer(socket, "200 OK", receiptFor(charge)); });
                return;
            case Mode::Answer:
                answer(socket, "200 OK", receiptFor(charge));
                return;
        }
    }
    QByteArray receiptFor(const Charge& charge) {
        const QByteArray key = charge.idempotencyKey.isEmpty()
                                   ? charge.body.value("payment_id").toString().toUtf8()
                                   : charge.idempotencyKey;
        auto [it, fresh] = receipts_.emplace(key, "gw_" + QByteArray::number(++issued_));
        Q_UNUSED(fresh);
        return R"({"receipt_id":")" + it->second + R"("})";
    }
    static void answer(QTcpSocket* socket, const QByteArray& status, const QByteArray& body) {
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    QTcpServer server_;
    quint16 port_ = 0;
    Mode mode_ = Mode::Answer;
    int slowMs_ = 3000;
    std::map<QTcpSocket*, QByteArray> buffers_;
    std::vector<Charge> charges_;
    std::map<QByteArray, QByteArray> receipts_;
    int issued_ = 0;
};
