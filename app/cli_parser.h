#pragma once

#include "cli.h"

#include <CLI/CLI.hpp>

#include <string>

namespace tai::app {

// The command line as one CLI11 description that writes into a CliOptions. The same description
// parses (parseCommandLine) and prints --help (helpText), so the two cannot drift apart, and the
// man page is made from that help.
//
// Every option stores through a callback that validates its value and throws
// CLI::ValidationError naming the option: the parser's exceptions never leave parseCommandLine(),
// which turns them into an error value.
class CliParser {
public:
    explicit CliParser(CliOptions& options);

    // Throws CLI::ParseError (or CLI::CallForHelp) like CLI::App::parse.
    void parse(const QStringList& arguments);

    CLI::App app{"TAI Console: resilience engine and operations console", "tai-console"};
    CLI::App* replay = nullptr;
    CLI::App* audit = nullptr;
    CLI::App* auditExport = nullptr;
    CLI::App* auditRecover = nullptr;
    CLI::App* bench = nullptr;
    CLI::App* scenario = nullptr;
    CLI::App* scenarioList = nullptr;
    CLI::App* scenarioRun = nullptr;

    bool versionRequested = false;
    bool headless = false;
    bool recoverAudit = false;  // --recover-audit, the same as `audit recover`

    // Help groups, in the order --help lists them.
    static constexpr const char* kEngineGroup = "Engine options";
    static constexpr const char* kDurabilityGroup = "Durability options";
    static constexpr const char* kApiGroup = "HTTP API options";
    static constexpr const char* kAlertingGroup = "Alerting options";
    static constexpr const char* kTracingGroup = "Tracing options";
    static constexpr const char* kHeadlessGroup = "Headless options";
    static constexpr const char* kConsoleGroup = "Console options";
    static constexpr const char* kGeneralGroup = "General options";

private:
    void addEngineOptions();
    void addDurabilityAndApiOptions();
    void addAlertingAndTracingOptions();
    void addModeOptions();
    void addReplay();
    void addAuditExport();
    void addAuditRecover();
    void addBench();
    void addScenario();

    CliOptions& options_;
    std::string scenarioName_;
};

}  // namespace tai::app
