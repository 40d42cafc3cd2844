#include "audit_export_mode.h"
#include "audit_recover_mode.h"
#include "bench_mode.h"
#include "cli.h"
#include "gui_mode.h"
#include "headless_mode.h"
#include "replay_mode.h"
#include "scenario_mode.h"

#include <QCoreApplication>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

using namespace tai::app;

int main(int argc, char* argv[]) {
    // Logs go to stderr in every mode: stdout carries only results (a scenario summary, the bench
    // table or JSON, replay's counts), so they can be piped and parsed.
    spdlog::set_default_logger(
        std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        arguments << QString::fromLocal8Bit(argv[i]);
    }
    const CliParse parsed = parseCommandLine(arguments);
    if (!parsed.options) {
        std::fprintf(stderr, "tai-console: %s\n", qPrintable(parsed.error));
        return 2;
    }
    const CliOptions& options = *parsed.options;
    switch (options.mode) {
        case Mode::Help:
            std::fputs(qPrintable(helpText()), stdout);
            return 0;
        case Mode::Version:
            std::printf("tai-console %s\n", TAI_VERSION);
            return 0;
        case Mode::Replay: {
            QCoreApplication app(argc, argv);
            return runReplayMode(options);
        }
        case Mode::Headless: {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("tai-console"));
            QCoreApplication::setOrganizationName(QStringLiteral("TAI Console"));
            return runHeadlessMode(options);
        }
        case Mode::AuditExport: {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("tai-console"));
            QCoreApplication::setOrganizationName(QStringLiteral("TAI Console"));
            return runAuditExportMode(options);
        }
        case Mode::AuditRecover: {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("tai-console"));
            QCoreApplication::setOrganizationName(QStringLiteral("TAI Console"));
            return runAuditRecoverMode(options);
        }
        case Mode::ScenarioList: {
            QCoreApplication app(argc, argv);
            return runScenarioList();
        }
        case Mode::ScenarioRun:
            return runScenarioMode(argc, argv, options);
        case Mode::Bench:
            return runBenchMode(argc, argv, options);
        case Mode::Gui:
            break;
    }
    return runGuiMode(argc, argv, options);
}
