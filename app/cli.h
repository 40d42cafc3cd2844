#pragma once

#include "deployments/infra_simulator.h"
#include "payments/gateway_simulator.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace tai::app {

enum class Mode {
    Gui,
    Headless,
    Replay,
    AuditExport,
    AuditRecover,
    Bench,
    ScenarioList,
    ScenarioRun,
    Help,
    Version
};

// Everything the command line can say (DESIGN.md §10.1). Parsing never exits the process and
// never throws; errors come back as text so main() decides the exit code (2 for bad usage).
struct CliOptions {
    Mode mode = Mode::Gui;
    QString dataDir;
    bool ephemeral = false;
    QString policyPath;
    QString listen = QStringLiteral("127.0.0.1:8080");
    QString input;
    QString output;
    QString comparePolicyPath;  // replay --compare-policy: the what-if
    quint64 seed = 1;
    bool seedGiven = false;  // scenarios take their file's seed unless --seed is given
    int loadPerSecond = 200;
    int retentionDays = 30;
    int httpIdleTimeoutSeconds = 10;
    // audit export
    QString format = QStringLiteral("jsonl");
    QStringList kinds;
    QString subject;
    QString traceId;
    QString from;
    QString to;
    int summaryEverySeconds = 5;
    std::optional<GatewayFault> fault;
    std::optional<InfraFault> infraFault;
    QString deploy;                              // service:version, requested at start
    QString view;                                // GUI: metrics or deployments
    QString palette = QStringLiteral("system");  // GUI: system, light or dark
    double faultAfterSeconds = 0;
    QString screenshotPath;
    double screenshotAfterSeconds = 0;
    QString alertWebhook;  // Andon notifiers (§10.3)
    QString alertmanager;
    QString traceSampler = QStringLiteral("rate:50");  // tracing (§12)
    int traceCapacity = 10'000;
    QString otlpFile;
    QString otlpEndpoint;
    // A real HTTP payment gateway instead of the simulator (README, Gateway wire contract); empty:
    // the simulator.
    QString gatewayUrl;
    bool exitAfterFirstFrame = false;  // GUI: print "first-frame" once painted, then exit (bench)
    // scenarios (§9.4, §9.5): `scenario run NAME|FILE`, or the console with --scenario
    QString scenario;
    double speed = -1;         // virtual seconds per real second; infinity = max; -1: the mode's default
    QString reportPath;        // scenario run: where the §9.5 report goes
    bool interactive = false;  // scenario run: speed control from stdin
    // bench
    double benchSeconds = 3;
    double soakSeconds = 0;  // 0: ten times benchSeconds
    bool json = false;
};

struct CliParse {
    std::optional<CliOptions> options;
    QString error;
};

// arguments[0] is the program, as in QCoreApplication::arguments().
CliParse parseCommandLine(const QStringList& arguments);
// Every command and option, grouped; the man page is generated from it.
QString helpText();

}  // namespace tai::app
