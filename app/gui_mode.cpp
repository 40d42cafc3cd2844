#include "gui_mode.h"

#include "api_access.h"
#include "api_hosting.h"
#include "audit/sqlite_thread_guard.h"
#include "engine/engine.h"
#include "scenario/scenario_session.h"

#include <spdlog/spdlog.h>
#include "main_window.h"
#include "policy_loading.h"
#include "startup_actions.h"
#include "unix_signal_watcher.h"

#include <QApplication>
#include <QEvent>
#include <QPalette>
#include <QStyle>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <thread>

namespace tai::app {

namespace {
// Reports the window's first paint on stdout and quits: `bench` times process start to here.
class FirstFrameProbe : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint && !reported_) {
            reported_ = true;
            QTimer::singleShot(0, this, [] {  // after the paint has finished
                std::fputs("first-frame\n", stdout);
                std::fflush(stdout);
                QApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool reported_ = false;
};

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe8, 0xe8, 0xe8),
        mid(0x3c, 0x3f, 0x44);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, mid);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, mid);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}
}  // namespace

int runGuiMode(int& argc, char** argv, const CliOptions& options) {
    QApplication app(argc, argv);
    // DESIGN.md §3: the GUI thread never touches SQLite; every way into it checks (a debug build
    // stops there).
    SqliteThreadGuard::forbid(std::this_thread::get_id());
    QApplication::setApplicationName(QStringLiteral("tai-console"));
    QApplication::setOrganizationName(QStringLiteral("TAI Console"));
    QApplication::setApplicationDisplayName(QStringLiteral("TAI Console"));
    // Ties the window to the installed desktop entry (icon and name on Wayland, where the
    // compositor matches windows to .desktop files by this id).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.taiconsole.TaiConsole"));
    if (options.palette != u"system") {
        // Fusion honours an explicit palette everywhere; the default follows the desktop's own.
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(options.palette == u"dark" ? darkPalette()
                                                            : QApplication::style()->standardPalette());
    }
    // The console's demo load is synthetic: unless a data dir is given, keep its trail in memory
    // rather than writing gigabytes a day into the user's data dir.
    CliOptions guiOptions = options;
    guiOptions.ephemeral = options.ephemeral || options.dataDir.isEmpty();
    auto config = engineConfigFor(guiOptions);
    if (!config) {
        return 2;
    }
    config->backgroundPriority = true;  // the GUI thread stays responsive while the engine runs flat out
    // Either the live demo on the real clock, or a training scenario on the virtual clock.
    std::unique_ptr<ScenarioSession> session;
    std::unique_ptr<Engine> ownEngine;
    if (!options.scenario.isEmpty()) {
        const LoadedScenario loaded = loadScenario(options.scenario);
        if (!loaded.scenario) {
            for (const QString& error : loaded.errors) {
                std::fprintf(stderr, "tai-console: %s\n", qPrintable(error));
            }
            return 4;
        }
        session = std::make_unique<ScenarioSession>(
            *loaded.scenario, loaded.source, *config,
            options.seedGiven ? std::optional<std::uint64_t>(options.seed) : std::nullopt);
        QString error;
        if (!session->start(&error)) {
            std::fprintf(stderr, "tai-console: cannot start: %s\n", qPrintable(error));
            return 1;
        }
        session->setSpeed(options.speed > 0 ? options.speed : 1);
    } else {
        ownEngine = std::make_unique<Engine>(*config);
        if (!ownEngine->start()) {
            std::fprintf(stderr, "tai-console: cannot start: %s\n", qPrintable(ownEngine->startError()));
            return 1;
        }
    }
    Engine& engine = session ? session->engine() : *ownEngine;
    // The console serves the same HTTP API; if its address is taken the console still runs and
    // the status bar says why the API is off.
    QString apiError;
    const auto api = startApi(engine, guiOptions, &apiError);
    if (!api) {
        spdlog::warn("HTTP API not started: {}", apiError.toStdString());
    } else {
        spdlog::info("api: listening on {} (control token in {})", api->url.toStdString(),
                     api->token.path.toStdString());
        engine.setApiUrl(api->url);
    }
    scheduleStartupActions(engine, options);

    ui::MainWindow window(engine);
    window.attachAudit();
    window.attachApi([&api, apiError] {
        if (!api) {
            return ui::ApiStatus{{}, 0, apiError, {}, {}};
        }
        return ui::ApiStatus{api->url, api->requestsPerSecond(), api->lastError(), api->token.value,
                             api->token.path};
    });
    if (session) {
        window.attachTraining(*session);
    }
    if (!options.view.isEmpty()) {
        window.showView(options.view);
    }
    FirstFrameProbe probe;
    if (options.exitAfterFirstFrame) {
        window.installEventFilter(&probe);
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
    // SIGINT and SIGTERM end the run as closing the window does, so the layout is saved and the
    // ephemeral API token directory in /tmp is removed (issue 17, item 12).
    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, &window, [&window](int number) {
        spdlog::info("signal {} received: closing the console", number);
        window.close();
        QApplication::quit();
    });
    const int status = QApplication::exec();
    engine.stop();
    return status;
}

}  // namespace tai::app
