#include "startup_actions.h"

#include "engine/command_spec.h"
#include "engine/engine.h"

#include <QFutureWatcher>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace tai::app {

namespace {
const CommandOrigin kOrigin{QStringLiteral("command-line"), QStringLiteral("startup option")};

void report(Engine& engine, const EngineCommand& command, const QString& what) {
    auto* watcher = new QFutureWatcher<CommandResult>(&engine);
    QObject::connect(watcher, &QFutureWatcher<CommandResult>::finished, watcher, [watcher, what] {
        watcher->deleteLater();
        if (watcher->future().resultCount() == 0) {
            return;
        }
        const CommandResult r = watcher->future().result();
        if (!r.ok()) {
            spdlog::error("{} refused ({}): {}", what.toStdString(), toString(r.refusal->code).toStdString(),
                          r.error().toStdString());
        }
    });
    watcher->setFuture(engine.execute(command));
}
}  // namespace

void scheduleStartupActions(Engine& engine, const CliOptions& options) {
    if (options.infraFault) {
        report(engine, SetInfraFault{*options.infraFault, std::nullopt, false, kOrigin},
               QStringLiteral("--infra-fault"));
    }
    if (!options.deploy.isEmpty()) {
        const auto deploy = parseCommandSpec(QStringLiteral("--deploy"), options.deploy, kOrigin.actor);
        if (const auto* command = std::get_if<EngineCommand>(&deploy)) {
            RequestDeployment request = std::get<RequestDeployment>(*command);
            request.origin = kOrigin;
            report(engine, request, QStringLiteral("--deploy"));
        } else {
            spdlog::error("{}", std::get<QString>(deploy).toStdString());
        }
    }
    if (options.fault) {
        const GatewayFault fault = *options.fault;
        QTimer::singleShot(static_cast<int>(options.faultAfterSeconds * 1000), &engine, [&engine, fault] {
            report(engine, SetGatewayFault{fault, kOrigin}, QStringLiteral("--fault"));
        });
    }
}

}  // namespace tai::app
