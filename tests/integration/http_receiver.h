#pragma once

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <map>
#include <vector>

// A minimal HTTP/1.1 server on loopback that answers every request 200 and keeps what it was
// sent: a stand-in for a webhook receiver or an OTLP collector in tests.
class HttpReceiver : public QObject {
public:
    struct Request {
        QByteArray method;
        QByteArray path;
        QByteArray body;
    };

    // A port that was free a moment ago, for a receiver that starts "down".
    static quint16 freePort() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    bool listen(quint16 port = 0) {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return server_.listen(QHostAddress::LocalHost, port);
    }
    quint16 port() const { return server_.serverPort(); }
    const std::vector<Request>& requests() const { return requests_; }

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            const QByteArray head = buffer.left(end);
            qsizetype length = 0;
            for (const QByteArray& line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:")) {
                    length = line.mid(15).trimmed().toLongLong();
                }
            }
            if (buffer.size() < end + 4 + length) {
                return;
            }
            const QList<QByteArray> requestLine = head.left(head.indexOf('\r')).split(' ');
            requests_.push_back({requestLine.value(0), requestLine.value(1), buffer.mid(end + 4, length)});
            buffer.remove(0, end + 4 + length);
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        }
    }

    QTcpServer server_;
    std::map<QTcpSocket*, QByteArray> buffers_;
    std::vector<Request> requests_;
};
