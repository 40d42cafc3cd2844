#include "startup_actions.h"

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
        const CommandResult r = watcher->future().result();
        if (!r.ok) {
            QStringList reasons(r.reasons.begin(), r.reasons.end());
            spdlog::error("{} refused: {} {}", what.toStdString(), r.error.toStdString(),
                          reasons.join(QStringLiteral(", ")).toStdString());
        }
        watcher->deleteLater();
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
        const QJsonObject body{{QStringLiteral("service"), options.deploy.section(QLatin1Char(':'), 0, 0)},
                               {QStringLiteral("version"), options.deploy.section(QLatin1Char(':'), 1)}};
        report(engine, RequestDeployment{body, kOrigin}, QStringLiteral("--deploy"));
    }
    if (options.fault) {
        const GatewayFault fault = *options.fault;
        QTimer::singleShot(static_cast<int>(options.faultAfterSeconds * 1000), &engine, [&engine, fault] {
            report(engine, SetGatewayFault{fault, kOrigin}, QStringLiteral("--fault"));
        });
    }
}

}  // namespace tai::app
