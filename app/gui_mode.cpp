#include "gui_mode.h"

#include "api_access.h"
#include "api_hosting.h"
#include "engine/engine.h"

#include <spdlog/spdlog.h>
#include "main_window.h"
#include "policy_loading.h"
#include "startup_actions.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

namespace tai::app {

int runGuiMode(int& argc, char** argv, const CliOptions& options) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tai-console"));
    QApplication::setOrganizationName(QStringLiteral("TAI Console"));
    QApplication::setApplicationDisplayName(QStringLiteral("TAI Console"));
    // The console's demo load is synthetic: unless a data dir is given, keep its trail in memory
    // rather than writing gigabytes a day into the user's data dir.
    CliOptions guiOptions = options;
    guiOptions.ephemeral = options.ephemeral || options.dataDir.isEmpty();
    auto config = engineConfigFor(guiOptions);
    if (!config) {
        return 2;
    }
    config->backgroundPriority = true;  // the GUI thread stays responsive while the engine runs flat out
    Engine engine(*config);
    if (!engine.start()) {
        std::fprintf(stderr, "tai-console: cannot start: %s\n", qPrintable(engine.startError()));
        return 1;
    }
    // The console serves the same HTTP API; if its address is taken the console still runs and
    // the status bar says why the API is off.
    QString apiError;
    const auto api = startApi(engine, guiOptions, &apiError);
    if (!api) {
        spdlog::warn("HTTP API not started: {}", apiError.toStdString());
    }
    scheduleStartupActions(engine, options);

    ui::MainWindow window(engine);
    window.attachAudit(engine.auditStore());
    window.attachApi([&api, apiError] {
        if (!api) {
            return ui::ApiStatus{{}, 0, apiError, {}, {}};
        }
        return ui::ApiStatus{api->url, api->server->requestsPerSecond(), api->server->lastError(),
                             api->token.value, api->token.path};
    });
    if (!options.view.isEmpty()) {
        window.showView(options.view);
    }
    window.show();

    if (!options.screenshotPath.isEmpty()) {
        QTimer::singleShot(static_cast<int>(options.screenshotAfterSeconds * 1000), &window,
                           [&window, &options] {
                               const bool saved = window.grab().save(options.screenshotPath, "PNG");
                               if (!saved) {
                                   std::fprintf(stderr, "tai-console: cannot write screenshot %s\n",
                                                qPrintable(options.screenshotPath));
                               }
                               QApplication::exit(saved ? 0 : 1);
                           });
    }
    const int status = QApplication::exec();
    engine.stop();
    return status;
}

}  // namespace tai::app
