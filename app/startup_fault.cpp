#include "startup_fault.h"

#include "engine/engine.h"

#include <QTimer>

namespace tai::app {

void scheduleStartupFault(Engine& engine, const CliOptions& options) {
    if (!options.fault) {
        return;
    }
    const GatewayFault fault = *options.fault;
    QTimer::singleShot(static_cast<int>(options.faultAfterSeconds * 1000), &engine, [&engine, fault] {
        engine.execute(SetGatewayFault{fault, {QStringLiteral("command-line"), QStringLiteral("--fault")}});
    });
}

}  // namespace tai::app
