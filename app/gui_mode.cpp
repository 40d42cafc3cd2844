#include "gui_mode.h"

#include "engine/engine.h"
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

    ui::MainWindow window(engine);
    if (!options.view.isEmpty()) {
        window.showView(options.view);
    }
    window.show();

    if (!options.screenshotPath.isEmpty()) {
        QTimer::singleShot(static_cast<int>(options.screenshotAfterSeconds * 1000), &window, [&window, &options] {
            const bool saved = window.grab().save(options.screenshotPath, "PNG");
            if (!saved) {
                std::fprintf(stderr, "tai-console: cannot write screenshot %s\n", qPrintable(options.screenshotPath));
            }
            QApplication::exit(saved ? 0 : 1);
        });
    }
    const int status = QApplication::exec();
    engine.stop();
    return status;
}

}  // namespace tai::app
