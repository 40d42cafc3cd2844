#include "api_hosting.h"

#include "api/api_server.h"
#include "engine/engine.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

#include <mutex>

namespace tai::app {

namespace {

// Up to 0.1 the data dir came from Qt's organisation and application names, with a space in it.
QString legacyDataDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("TAI Console/tai-console"));
}

// Moves a data dir left at the old place to the new one, once: afterwards the old place is gone.
// Both present means someone made the new one by hand; neither is touched then.
void moveLegacyDataDir(const QString& target) {
    const QString legacy = legacyDataDir();
    if (!QFileInfo(legacy).isDir()) {
        return;
    }
    if (QFileInfo::exists(target)) {
        spdlog::warn("data dir: {} and the old {} both exist; using the first and leaving the old one alone",
                     target.toStdString(), legacy.toStdString());
        return;
    }
    QDir().mkpath(QFileInfo(target).absolutePath());
    if (!QDir().rename(legacy, target)) {
        spdlog::warn("data dir: could not move the old {} to {}; using the new, empty one",
                     legacy.toStdString(), target.toStdString());
        return;
    }
    QDir().rmdir(QFileInfo(legacy).absolutePath());  // "TAI Console", if nothing else is in it
    spdlog::info("data dir: moved the old {} to {} (done once)", legacy.toStdString(), target.toStdString());
}

}  // namespace

QString defaultDataDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("tai-console"));
}

QString resolveDataDir(const CliOptions& options) {
    if (options.ephemeral) {
        return {};
    }
    if (!options.dataDir.isEmpty()) {
        return options.dataDir;
    }
    const QString dir = defaultDataDir();
    static std::once_flag moved;
    std::call_once(moved, [&dir] { moveLegacyDataDir(dir); });
    return dir;
}

std::optional<QString> auditDatabaseFor(const CliOptions& options) {
    const QString dir = resolveDataDir(options);
    if (dir.isEmpty()) {
        return QString();
    }
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("audit.sqlite"));
}

ApiHost::ApiHost() = default;

ApiHost::~ApiHost() {
    stop();
}

bool ApiHost::listen(const QHostAddress& address, quint16 port, std::chrono::seconds idleTimeout,
                     QString* error) {
    server_ = std::make_unique<ApiServer>(*router, ApiServer::Options{idleTimeout});
    if (!server_->start(address.toString(), port, error)) {
        server_.reset();
        return false;
    }
    const QString shown = address.protocol() == QAbstractSocket::IPv6Protocol
                              ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                              : address.toString();
    url = QStringLiteral("http://%1:%2").arg(shown).arg(server_->port());
    return true;
}

void ApiHost::stop() {
    if (server_) {
        server_->stop();  // answers what it can, then closes; the object stays for the status bar
    }
}

double ApiHost::requestsPerSecond() const {
    return server_ ? server_->requestsPerSecond() : 0;
}

QString ApiHost::lastError() const {
    return server_ ? server_->lastError() : QString();
}

std::unique_ptr<ApiHost> startApi(Engine& engine, const CliOptions& options, QString* error) {
    const qsizetype colon = options.listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = colon > 0 ? options.listen.mid(colon + 1).toInt(&portOk) : -1;
    QString host = colon > 0 ? options.listen.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) {
        host = host.mid(1, host.size() - 2);
    }
    const QHostAddress address =
        host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (!portOk || port < 0 || port > 65535 || address.isNull()) {
        *error =
            QStringLiteral("--listen: expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080 (got '%1')")
                .arg(options.listen);
        return nullptr;
    }
    auto host_ = std::make_unique<ApiHost>();
    QString tokenDir = resolveDataDir(options);
    if (tokenDir.isEmpty()) {
        host_->ephemeralTokenDir = std::make_unique<QTemporaryDir>();
        tokenDir = host_->ephemeralTokenDir->path();
    }
    // Beyond loopback the token must already exist: a fresh, unseen token would leave the
    // control endpoints guarded by a secret nobody was given on purpose.
    const bool loopback = address.isLoopback();
    host_->token = loadApiToken(tokenDir, loopback, error);
    if (host_->token.value.isEmpty()) {
        if (!loopback && !QFileInfo::exists(host_->token.path)) {
            *error = QStringLiteral(
                         "refusing to listen on %1: no token file at %2 (start once on loopback to create "
                         "one, or write a token of at least 32 characters there with mode 0600)")
                         .arg(options.listen, host_->token.path);
        }
        return nullptr;
    }
    if (host_->token.readableByOthers) {
        spdlog::warn("api: {} is readable by other users; chmod 600 it (it is refused beyond loopback)",
                     host_->token.path.toStdString());
    }
    host_->router = std::make_unique<ApiRouter>(engine, host_->token.value);
    if (!host_->listen(address, static_cast<quint16>(port),
                       std::chrono::seconds(options.httpIdleTimeoutSeconds), error)) {
        return nullptr;
    }
    return host_;
}

}  // namespace tai::app
