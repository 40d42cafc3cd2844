#pragma once

#include "api/api_router.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <QPointer>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

class QTcpSocket;
class QTimer;

namespace tai {

// The HTTP front of the API on Qt HTTP Server's connection handling and request parser. Replies
// come back asynchronously (a payment answers after its commit), so each connection keeps its
// replies in request order, and a reply for a connection that has gone away is dropped: the
// socket is only ever touched through a QPointer.
class ApiServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    ApiServer(ApiRouter& router, QObject* parent = nullptr);
    ~ApiServer() override;

    // Binds to `address`:`port` (0 picks a free port). False with `error` set when it cannot.
    bool start(const QHostAddress& address, quint16 port, QString* error);
    // Connections with no traffic for this long, and no reply still owed to them, are closed:
    // an incomplete or garbage request cannot hold a connection open forever.
    void setIdleTimeout(std::chrono::seconds timeout) { idleTimeout_ = timeout; }
    QString address() const { return address_; }
    quint16 port() const { return port_; }

    // Thread-safe: the console's status bar reads them from the GUI thread.
    double requestsPerSecond() const;
    QString lastError() const;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    struct Connection {
        QPointer<QTcpSocket> socket;
        quint64 nextSlot = 0;                                           // the slot the next request takes
        quint64 firstSlot = 0;                                          // the oldest unanswered
        std::deque<std::optional<std::pair<HttpReply, bool>>> replies;  // reply, close after
    };
    void deliver(QTcpSocket* key, quint64 slot, HttpReply reply, bool close);
    // Answers come back on any thread; they reach this server's thread through a mailbox that
    // outlives it, so an answer for a server that has gone away is dropped, never delivered.
    struct Mailbox;
    std::shared_ptr<Mailbox> mailbox_;
    void watch(QTcpSocket* socket);
    void closeIdle();
    void flush(QTcpSocket* key);

    ApiRouter& router_;
    QHash<QTcpSocket*, Connection> connections_;
    QString address_;
    quint16 port_ = 0;
    mutable std::mutex statsMutex_;
    std::deque<qint64> recent_;  // request times (ms, monotonic) in the last 10 s
    QString lastError_;
    std::chrono::seconds idleTimeout_{10};
    QHash<QTcpSocket*, qint64> lastActivity_;  // every open connection, ms (monotonic)
    QTimer* idleCheck_ = nullptr;
};

}  // namespace tai
