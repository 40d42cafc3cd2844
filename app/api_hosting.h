#pragma once

#include "api/api_router.h"
#include "api/api_token.h"
#include "cli.h"

#include <QHostAddress>
#include <QTemporaryDir>

#include <memory>

namespace tai {
class ApiServer;
class Engine;
}  // namespace tai

namespace tai::app {

// ~/.local/share/tai-console ($XDG_DATA_HOME/tai-console).
QString defaultDataDir();
// Where durable state lives: --data-dir, else defaultDataDir(); empty for --ephemeral. The first
// call moves a data dir left at the old place (~/.local/share/TAI Console/tai-console) over.
QString resolveDataDir(const CliOptions& options);
// The engine's audit database for these options: "" (in memory) when ephemeral.
std::optional<QString> auditDatabaseFor(const CliOptions& options);

// The HTTP API as run by headless and GUI modes. Its server reads and answers on I/O threads of
// its own: never the GUI thread, never the engine's (DESIGN.md §3).
class ApiHost {
public:
    ApiHost();
    ~ApiHost();  // stops the server: nothing more is answered
    ApiHost(const ApiHost&) = delete;
    ApiHost& operator=(const ApiHost&) = delete;

    // False with `error` when it cannot listen.
    bool listen(const QHostAddress& address, quint16 port, std::chrono::seconds idleTimeout, QString* error);
    void stop();

    double requestsPerSecond() const;  // thread-safe
    QString lastError() const;         // thread-safe

    ApiToken token;
    std::unique_ptr<QTemporaryDir> ephemeralTokenDir;
    std::unique_ptr<ApiRouter> router;
    QString url;

private:
    std::unique_ptr<ApiServer> server_;
};

// Loads or creates the token and starts listening on --listen. Null with `error` on failure,
// including a non-loopback address without an existing token file (refused by design).
std::unique_ptr<ApiHost> startApi(Engine& engine, const CliOptions& options, QString* error);

}  // namespace tai::app
