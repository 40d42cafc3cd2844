#include "headless_mode.h"

#include "api_hosting.h"
#include "engine/engine.h"
#include "kpi_summary.h"
#include "policy_loading.h"
#include "startup_actions.h"
#include "unix_signal_watcher.h"

#include <QCoreApplication>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace tai::app {

int runHeadlessMode(const CliOptions& options) {
    // Watching before anything starts: a SIGTERM right after "listening on" (a supervisor, a test)
    // must stop cleanly, not kill the process with the signal's default action.
    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, [](int number) {
        spdlog::info("signal {} received: stopping", number);
        QCoreApplication::quit();
    });
    const auto config = engineConfigFor(options);
    if (!config) {
        return 2;
    }
    Engine engine(*config);
    if (!engine.start()) {
        spdlog::error("cannot start: {}", engine.startError().toStdString());
        return 1;
    }
    QString apiError;
    const auto api = startApi(engine, options, &apiError);
    if (!api) {
        spdlog::error("cannot start the HTTP API: {}", apiError.toStdString());
        engine.stop();
        return 1;
    }
    spdlog::info("api: listening on {} (control token in {})", api->url.toStdString(),
                 api->token.path.toStdString());
    engine.setApiUrl(api->url);
    spdlog::info("audit: {}", engine.auditDatabase().isEmpty() ? std::string("off")
                                                               : engine.auditDatabase().toStdString());
    scheduleStartupActions(engine, options);
    spdlog::info("tai-console {} headless: policy {}, generated load {}/s, summary every {} s", TAI_VERSION,
                 config->policy.version.toStdString(), options.loadPerSecond, options.summaryEverySeconds);

    QTimer summary;
    QObject::connect(&summary, &QTimer::timeout, [&engine] {
        if (const auto snapshot = engine.latestSnapshot()) {
            spdlog::info("{}", kpiSummaryLine(*snapshot).toStdString());
        }
    });
    summary.start(options.summaryEverySeconds * 1000);

    const int status = QCoreApplication::exec();
    summary.stop();
    api->stop();  // answers nothing more, then the engine goes
    engine.stop();
    if (const auto snapshot = engine.latestSnapshot()) {
        spdlog::info("final {}", kpiSummaryLine(*snapshot).toStdString());
    }
    spdlog::info("stopped cleanly");
    return status;
}

}  // namespace tai::app
