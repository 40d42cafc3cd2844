#include "cli.h"

#include "cli_parser.h"

#include <QRegularExpression>

namespace tai::app {

namespace {

// CLI11's own wording for the two mistakes people make most, said the way the rest of our
// messages are ("--policy needs a value", "unknown option or command: --frobnicate").
QString plainMessage(const CLI::ParseError& error) {
    const QString text = QString::fromStdString(error.what());
    static const QRegularExpression missingValue(QStringLiteral("^(-[-\\w]+): \\d+ required .* missing$"));
    if (const auto m = missingValue.match(text); m.hasMatch()) {
        return m.captured(1) + QStringLiteral(" needs a value");
    }
    return text;
}

bool given(const CLI::App& app, const char* option) {
    return app.count(option) > 0;
}

// Options that belong to the console or to --headless, refused after a command.
QString consoleOnlyOptionAfterCommand(const CliParser& parser) {
    for (const char* option : {"--headless", "--summary-every", "--scenario", "--view", "--palette",
                               "--screenshot", "--after", "--exit-after-first-frame", "--speed"}) {
        if (given(parser.app, option)) {
            return QString::fromLatin1(option);
        }
    }
    return {};
}

QString selectMode(const CliParser& parser, CliOptions& options) {
    if (parser.replay->parsed()) {
        options.mode = Mode::Replay;
        options.ephemeral = true;
    } else if (parser.audit->parsed()) {
        if (parser.auditExport->parsed()) {
            options.mode = Mode::AuditExport;
        } else if (parser.auditRecover->parsed()) {
            options.mode = Mode::AuditRecover;
        } else {
            return QStringLiteral(
                "audit: expected 'audit export --output FILE' or 'audit recover' (see --help)");
        }
    } else if (parser.scenario->parsed()) {
        if (parser.scenarioList->parsed()) {
            options.mode = Mode::ScenarioList;
        } else if (parser.scenarioRun->parsed() && !options.scenario.isEmpty()) {
            options.mode = Mode::ScenarioRun;
            options.ephemeral = true;
        } else {
            return QStringLiteral(
                "scenario: expected 'scenario list' or 'scenario run NAME|FILE' (see --help)");
        }
    } else if (parser.bench->parsed()) {
        options.mode = Mode::Bench;
        options.ephemeral = true;
    } else if (parser.headless) {
        options.mode = Mode::Headless;
    }
    if (parser.recoverAudit) {
        if (options.mode != Mode::Gui && options.mode != Mode::AuditRecover) {
            return QStringLiteral(
                "--recover-audit is a command of its own (the same as 'audit recover'); "
                "give it without another command (see --help)");
        }
        options.mode = Mode::AuditRecover;
    }
    const bool command = options.mode != Mode::Gui && options.mode != Mode::Headless;
    if (command) {
        if (const QString option = consoleOnlyOptionAfterCommand(parser); !option.isEmpty()) {
            return option +
                   QStringLiteral(" applies to the console or --headless, not to a command (see --help)");
        }
    }
    return {};
}

// The rules that tie options together, checked once every option is known.
QString crossCheck(const CliOptions& options) {
    const bool scenario = options.mode == Mode::ScenarioRun || !options.scenario.isEmpty();
    if (options.mode == Mode::Replay && (options.input.isEmpty() || options.output.isEmpty())) {
        return QStringLiteral("replay needs --input FILE and --output FILE (see --help)");
    }
    if (options.mode == Mode::AuditExport && (options.output.isEmpty() || options.ephemeral)) {
        return QStringLiteral("audit export needs --output FILE and a persistent data dir (see --help)");
    }
    if (options.mode == Mode::AuditRecover && options.ephemeral) {
        return QStringLiteral("audit recover works on a data dir's audit.sqlite; --ephemeral does not apply");
    }
    if (options.mode == Mode::Headless && !options.scenario.isEmpty()) {
        return QStringLiteral("--scenario opens the console; without a window use 'scenario run NAME|FILE'");
    }
    if (options.speed > 0 && options.mode == Mode::Gui && options.scenario.isEmpty()) {
        return QStringLiteral("--speed applies to a scenario: add --scenario NAME|FILE");
    }
    if (scenario && (options.fault || options.infraFault || !options.deploy.isEmpty())) {
        return QStringLiteral(
            "--fault, --infra-fault and --deploy do not apply to a scenario: put them in its timeline as "
            "gateway.fault, infra.fault and deploy events");
    }
    if (scenario && !options.dataDir.isEmpty()) {
        return QStringLiteral(
            "scenarios always run on a fresh in-memory trail (restored keys would change the run); "
            "--data-dir does not apply");
    }
    if (options.mode == Mode::Replay && !options.dataDir.isEmpty()) {
        return QStringLiteral("replay always runs in memory; --data-dir does not apply");
    }
    return {};
}

}  // namespace

CliParse parseCommandLine(const QStringList& arguments) {
    CliOptions options;
    CliParser parser(options);
    try {
        parser.parse(arguments);
    } catch (const CLI::CallForHelp&) {
        options.mode = Mode::Help;
        return {options, {}};
    } catch (const CLI::ParseError& error) {
        return {std::nullopt, plainMessage(error) + QStringLiteral(" (see --help)")};
    }
    if (parser.versionRequested) {
        options.mode = Mode::Version;
        return {options, {}};
    }
    // "scenario play" or a bare "audit": selectMode says what was expected there.
    const bool incompleteCommand =
        (parser.scenario->parsed() && !parser.scenarioList->parsed() && !parser.scenarioRun->parsed()) ||
        (parser.audit->parsed() && !parser.auditExport->parsed() && !parser.auditRecover->parsed());
    // Left-over words: the innermost command that saw them reports the first.
    for (const CLI::App* app : {parser.scenarioRun, parser.scenarioList, parser.auditExport,
                                parser.auditRecover, parser.bench, parser.replay, &parser.app}) {
        if (!incompleteCommand && !app->remaining().empty() && (app == &parser.app || app->parsed())) {
            return {std::nullopt, QStringLiteral("unknown option or command: ") +
                                      QString::fromStdString(app->remaining().front()) +
                                      QStringLiteral(" (see --help)")};
        }
    }
    if (const QString error = selectMode(parser, options); !error.isEmpty()) {
        return {std::nullopt, error};
    }
    if (const QString error = crossCheck(options); !error.isEmpty()) {
        return {std::nullopt, error};
    }
    return {options, {}};
}

}  // namespace tai::app
