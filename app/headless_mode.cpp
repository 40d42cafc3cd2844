#include "headless_mode.h"

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
    const auto policy = loadPolicyOrReport(options.policyPath);
    if (!policy) {
        return 2;
    }
    EngineConfig config;
    config.policy = *policy;
    config.seed = options.seed;
    config.load.paymentsPerSecond = options.loadPerSecond;

    Engine engine(config);
    engine.start();
    scheduleStartupActions(engine, options);
    spdlog::info("tai-console {} headless: policy {}, generated load {}/s, summary every {} s", TAI_VERSION,
                 policy->version.toStdString(), options.loadPerSecond, options.summaryEverySeconds);

    QTimer summary;
    QObject::connect(&summary, &QTimer::timeout, [&engine] {
        if (const auto snapshot = engine.latestSnapshot()) {
            spdlog::info("{}", kpiSummaryLine(*snapshot).toStdString());
        }
    });
    summary.start(options.summaryEverySeconds * 1000);

    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, [](int number) {
        spdlog::info("signal {} received: stopping", number);
        QCoreApplication::quit();
    });

    const int status = QCoreApplication::exec();
    summary.stop();
    engine.stop();
    if (const auto snapshot = engine.latestSnapshot()) {
        spdlog::info("final {}", kpiSummaryLine(*snapshot).toStdString());
    }
    spdlog::info("stopped cleanly");
    return status;
}

}  // namespace tai::app
