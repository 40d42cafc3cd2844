#include "api/api_server.h"

#include "base/real_clock.h"

#include <QHttpServerRequest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace tai {

namespace {
qint64 monotonicMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(RealClock::monotonicNow()).count();
}

QByteArray methodName(QHttpServerRequest::Method method) {
    switch (method) {
        case QHttpServerRequest::Method::Get:
            return "GET";
        case QHttpServerRequest::Method::Put:
            return "PUT";
        case QHttpServerRequest::Method::Delete:
            return "DELETE";
        case QHttpServerRequest::Method::Post:
            return "POST";
        case QHttpServerRequest::Method::Head:
            return "HEAD";
        case QHttpServerRequest::Method::Options:
            return "OPTIONS";
        case QHttpServerRequest::Method::Patch:
            return "PATCH";
        case QHttpServerRequest::Method::Connect:
            return "CONNECT";
        case QHttpServerRequest::Method::Trace:
            return "TRACE";
        default:
            return "UNKNOWN";
    }
}
}  // namespace

namespace {
// Lets the API see every connection as it is accepted, before any request on it completes.
class WatchedTcpServer final : public QTcpServer {
public:
    WatchedTcpServer(QObject* parent, std::function<void(QTcpSocket*)> watch)
        : QTcpServer(parent), watch_(std::move(watch)) {}

protected:
    void incomingConnection(qintptr descriptor) override {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        watch_(socket);
        addPendingConnection(socket);
    }

private:
    std::function<void(QTcpSocket*)> watch_;
};
}  // namespace

struct ApiServer::Mailbox {
    std::mutex mutex;
    ApiServer* server = nullptr;  // null once the server is gone
};

ApiServer::~ApiServer() {
    std::lock_guard lock(mailbox_->mutex);
    mailbox_->server = nullptr;
}

ApiServer::ApiServer(ApiRouter& router, QObject* parent)
    : QAbstractHttpServer(parent), mailbox_(std::make_shared<Mailbox>()), router_(router) {
    mailbox_->server = this;
    idleCheck_ = new QTimer(this);
    idleCheck_->setInterval(500);
    connect(idleCheck_, &QTimer::timeout, this, &ApiServer::closeIdle);
    idleCheck_->start();
}

void ApiServer::watch(QTcpSocket* socket) {
    lastActivity_.insert(socket, monotonicMs());
    const auto touch = [this, socket] {
        lastActivity_[socket] = monotonicMs();
    };
    connect(socket, &QIODevice::readyRead, this, touch);
    connect(socket, &QIODevice::bytesWritten, this, touch);
    connect(socket, &QObject::destroyed, this, [this, socket] { lastActivity_.remove(socket); });
}

void ApiServer::closeIdle() {
    const qint64 now = monotonicMs();
    const qint64 limit = std::chrono::duration_cast<std::chrono::milliseconds>(idleTimeout_).count();
    for (auto it = lastActivity_.begin(); it != lastActivity_.end(); ++it) {
        const auto owed = connections_.constFind(it.key());
        const bool waitingForUs = owed != connections_.constEnd() && !owed->replies.empty();
        if (now - it.value() > limit && !waitingForUs) {
            it.key()->abort();  // emits disconnected; the socket is deleted later, then forgotten
            it.value() = now;
        }
    }
}

bool ApiServer::start(const QHostAddress& address, quint16 port, QString* error) {
    auto* server = new WatchedTcpServer(this, [this](QTcpSocket* socket) { watch(socket); });
    if (!server->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(server->errorString());
        delete server;
        return false;
    }
    bind(server);
    address_ = address.toString();
    port_ = server->serverPort();
    return true;
}

QString ApiServer::lastError() const {
    std::lock_guard lock(statsMutex_);
    return lastError_;
}

double ApiServer::requestsPerSecond() const {
    std::lock_guard lock(statsMutex_);
    const qint64 now = monotonicMs();
    return static_cast<double>(
               std::count_if(recent_.begin(), recent_.end(), [now](qint64 t) { return now - t <= 10'000; })) /
           10.0;
}

bool ApiServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    {
        std::lock_guard lock(statsMutex_);
        const qint64 now = monotonicMs();
        recent_.push_back(now);
        while (!recent_.empty() && now - recent_.front() > 10'000) {
            recent_.pop_front();
        }
    }
    ApiRequest api;
    api.method = methodName(request.method());
    api.path = request.url().path();
    api.query = request.url().query();
    for (const auto& [name, value] : request.headers()) {
        api.headers.insert(name.toLower(), value);
        api.headerBytes += name.size() + value.size() + 4;
    }
    api.body = request.body();
    const bool close = api.headers.value("connection").toLower() == "close";

    Connection& connection = connections_[socket];
    if (connection.socket.isNull()) {
        connection.socket = socket;
        connect(socket, &QObject::destroyed, this, [this, socket] { connections_.remove(socket); });
    }
    const quint64 slot = connection.nextSlot++;
    connection.replies.emplace_back(std::nullopt);

    router_.handle(api, [mailbox = mailbox_, socket, slot, close](HttpReply reply) {
        std::lock_guard lock(mailbox->mutex);
        if (mailbox->server != nullptr) {
            QMetaObject::invokeMethod(
                mailbox->server,
                [server = mailbox->server, socket, slot, close, reply = std::move(reply)]() mutable {
                    server->deliver(socket, slot, std::move(reply), close);
                },
                Qt::QueuedConnection);
        }
    });
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    handleRequest(request, socket);  // every request is handled by the router
}

void ApiServer::deliver(QTcpSocket* key, quint64 slot, HttpReply reply, bool close) {
    const auto found = connections_.find(key);
    if (found == connections_.end() || found->socket.isNull()) {
        return;  // the client went away; nothing to write to
    }
    if (reply.status >= 500) {
        std::lock_guard lock(statsMutex_);
        lastError_ = QStringLiteral("%1 %2").arg(reply.status).arg(QString::fromUtf8(reply.body.left(200)));
    }
    const quint64 index = slot - found->firstSlot;
    if (index < found->replies.size()) {
        found->replies[index] = std::make_pair(std::move(reply), close);
    }
    flush(key);
}

void ApiServer::flush(QTcpSocket* key) {
    auto found = connections_.find(key);
    if (found == connections_.end()) {
        return;
    }
    Connection& c = *found;
    while (!c.replies.empty() && c.replies.front() && !c.socket.isNull()) {
        auto [reply, close] = std::move(*c.replies.front());
        c.replies.pop_front();
        ++c.firstSlot;
        QByteArray head =
            "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
        head += "Content-Type: " + reply.contentType + "\r\n";
        head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
        for (const auto& [name, value] : std::as_const(reply.headers)) {
            head += name + ": " + value + "\r\n";
        }
        if (close) {
            head += "Connection: close\r\n";
        }
        head += "\r\n";
        c.socket->write(head + reply.body);
        if (close) {
            c.socket->disconnectFromHost();
            return;
        }
    }
}

}  // namespace tai
