#pragma once

#include "api/api_router.h"
#include "api/api_server.h"
#include "api/api_token.h"
#include "cli.h"

#include <QTemporaryDir>

#include <memory>

namespace tai {
class Engine;
}

namespace tai::app {

// ~/.local/share/tai-console ($XDG_DATA_HOME/tai-console).
QString defaultDataDir();
// Where durable state lives: --data-dir, else defaultDataDir(); empty for --ephemeral. The first
// call moves a data dir left at the old place (~/.local/share/TAI Console/tai-console) over.
QString resolveDataDir(const CliOptions& options);
// The engine's audit database for these options: "" (in memory) when ephemeral.
std::optional<QString> auditDatabaseFor(const CliOptions& options);

// The HTTP API as run by headless and GUI modes.
struct ApiHost {
    ApiToken token;
    std::unique_ptr<QTemporaryDir> ephemeralTokenDir;
    std::unique_ptr<ApiRouter> router;
    std::unique_ptr<ApiServer> server;
    QString url;
};

// Loads or creates the token and starts listening on --listen. Null with `error` on failure,
// including a non-loopback address without an existing token file (refused by design).
std::unique_ptr<ApiHost> startApi(Engine& engine, const CliOptions& options, QString* error);

}  // namespace tai::app
