#include "cli_parser.h"

#include "base/rfc3339.h"
#include "fault_spec.h"
#include "trace/trace_sampler.h"

#include <QHostAddress>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <limits>

namespace tai::app {

namespace {

[[noreturn]] void refuse(const QString& message) {
    throw CLI::ValidationError(message.toStdString());
}

// The option's text, refusing another option where its value should be ("--policy --seed 1").
QString valueOf(const QString& option, const std::string& raw) {
    const QString value = QString::fromStdString(raw);
    if (value.startsWith(QStringLiteral("--"))) {
        refuse(option + QStringLiteral(" needs a value"));
    }
    return value;
}

// `--name VALUE`: the value is validated and stored by `store`, which refuses bad values by name.
// Given twice, the last one counts (as shells and wrapper scripts expect).
CLI::Option* addValue(CLI::App& app, const char* name, const char* typeName, const char* group,
                      const char* help,
                      std::function<void(const QString& option, const QString& value)> store) {
    const QString option = QString::fromLatin1(name);
    return app
        .add_option_function<std::string>(
            name, [option, store](const std::string& raw) { store(option, valueOf(option, raw)); }, help)
        ->type_name(typeName)
        ->group(group)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

CLI::Option* addFlag(CLI::App& app, const char* name, const char* group, const char* help, bool& target) {
    return app.add_flag(name, target, help)->group(group);
}

[[noreturn]] void notANumber(const QString& option, const QString& text) {
    refuse(option + QStringLiteral(": '") + text + QStringLiteral("' is not a valid number"));
}

int wholeNumber(const QString& option, const QString& text, int low, int high, const QString& range = {}) {
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok) {
        notANumber(option, text);
    }
    if (value < low || value > high) {
        refuse(range.isEmpty() ? option + QStringLiteral(": from %1 to %2").arg(low).arg(high) : range);
    }
    return value;
}

double decimal(const QString& option, const QString& text, double low, double high,
               const QString& range = {}) {
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        notANumber(option, text);
    }
    if (value < low || value > high) {
        refuse(range.isEmpty() ? option + QStringLiteral(": from %1 to %2").arg(low).arg(high) : range);
    }
    return value;
}

QString httpUrl(const QString& option, const QString& value, const QString& example) {
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
        refuse(option + QStringLiteral(": expected an http:// or https:// URL") + example +
               QStringLiteral(" (got '") + value + QStringLiteral("')"));
    }
    return value;
}

double speedFactor(const QString& value) {
    if (value == u"max") {
        return std::numeric_limits<double>::infinity();
    }
    bool ok = false;
    const double speed = value.toDouble(&ok);
    if (!ok || !(speed > 0) || speed > 1e6) {
        refuse(
            QStringLiteral("--speed: expected a factor such as 1, 10 or 100 (up to 1000000), or max (got '") +
            value + QStringLiteral("')"));
    }
    return speed;
}

// HOST:PORT with an IP address (or localhost) and a port from 0 to 65535; bad usage, not a
// runtime failure, so it is refused here rather than when the server starts.
QString listenAddress(const QString& value) {
    const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = colon > 0 ? value.mid(colon + 1).toInt(&portOk) : -1;
    QString host = colon > 0 ? value.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) {
        host = host.mid(1, host.size() - 2);
    }
    const bool hostOk = host == u"localhost" || !QHostAddress(host).isNull();
    if (!portOk || port < 0 || port > 65535 || !hostOk) {
        refuse(QStringLiteral("--listen: expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080 (got '") +
               value + QStringLiteral("')"));
    }
    return value;
}

}  // namespace

CliParser::CliParser(CliOptions& options) : options_(options) {
    app.set_help_flag("-h,--help", "print this help and exit")->group(kGeneralGroup);
    addFlag(app, "--version", kGeneralGroup, "print the version and exit", versionRequested);
    // Words the parser does not know are reported by parseCommandLine in its own wording.
    app.allow_extras();
    addEngineOptions();
    addDurabilityAndApiOptions();
    addAlertingAndTracingOptions();
    addModeOptions();
    addReplay();
    addAuditExport();
    addAuditRecover();
    addBench();
    addScenario();
}

void CliParser::parse(const QStringList& arguments) {
    std::vector<std::string> reversed;  // CLI11 takes them last first
    for (qsizetype i = arguments.size() - 1; i >= 1; --i) {
        reversed.push_back(arguments.at(i).toStdString());
    }
    app.parse(reversed);
}

void CliParser::addEngineOptions() {
    CliOptions& o = options_;
    addValue(app, "--policy", "FILE", kEngineGroup,
             "policy file (JSON; partial files allowed, see README). Built in: :/policies/default.json "
             "(every default, written out) and :/policies/fast-rollout.json (short stages for demos)",
             [&o](const QString&, const QString& v) { o.policyPath = v; });
    addValue(app, "--seed", "N", kEngineGroup, "seed for the simulators and generated ids (default 1)",
             [&o](const QString& option, const QString& v) {
                 bool ok = false;
                 o.seed = v.toULongLong(&ok);
                 if (!ok) {
                     notANumber(option, v);
                 }
                 o.seedGiven = true;
             });
    addValue(app, "--load", "N", kEngineGroup,
             "generated payments per second, console and headless (default 200)",
             [&o](const QString& option, const QString& v) {
                 o.loadPerSecond = wholeNumber(option, v, 0, 10'000'000);
             });
    addValue(app, "--fault", "SPEC", kEngineGroup,
             "inject a gateway fault at start: down, error=R, timeout=R, latency=MS, jitter=MS, "
             "comma-separated (e.g. error=0.3,latency=200)",
             [&o](const QString&, const QString& v) {
                 QString error;
                 o.fault = parseFaultSpec(v, &error);
                 if (!o.fault) {
                     refuse(error);
                 }
             });
    addValue(
        app, "--fault-after", "S", kEngineGroup, "apply --fault S seconds after start (default 0)",
        [&o](const QString& option, const QString& v) { o.faultAfterSeconds = decimal(option, v, 0, 1e9); });
    addValue(app, "--infra-fault", "SPEC", kEngineGroup,
             "inject an infrastructure fault: region=R (required), version=V, error=R, p99=MS, "
             "actions=R (action failure rate), capacity=N",
             [&o](const QString&, const QString& v) {
                 QString error;
                 o.infraFault = parseInfraFaultSpec(v, &error);
                 if (!o.infraFault) {
                     refuse(error);
                 }
             });
    addValue(app, "--deploy", "S:V", kEngineGroup,
             "request a deployment of service S at version V at start (e.g. api-service:v2.0.0)",
             [&o](const QString&, const QString& v) {
                 if (v.count(QLatin1Char(':')) != 1 || v.startsWith(QLatin1Char(':')) ||
                     v.endsWith(QLatin1Char(':'))) {
                     refuse(QStringLiteral("--deploy: expected SERVICE:VERSION, e.g. api-service:v2.0.0"));
                 }
                 o.deploy = v;
             });
    addValue(app, "--gateway-url", "URL", kEngineGroup,
             "call a real HTTP payment gateway instead of the simulator; see README, Gateway wire contract",
             [&o](const QString& option, const QString& v) {
                 o.gatewayUrl = httpUrl(option, v, QStringLiteral(" such as http://127.0.0.1:9000/charge"));
             });
}

void CliParser::addDurabilityAndApiOptions() {
    CliOptions& o = options_;
    addValue(app, "--data-dir", "DIR", kDurabilityGroup,
             "where the audit database and the API token live (headless default: ~/.local/share/tai-console; "
             "the console keeps its trail in memory unless this is given)",
             [&o](const QString&, const QString& v) { o.dataDir = v; });
    addFlag(app, "--ephemeral", kDurabilityGroup,
            "keep the audit trail, idempotency keys and token in memory", o.ephemeral);
    addFlag(app, "--recover-audit", kDurabilityGroup,
            "the same as the audit recover command: recover a damaged audit.sqlite of --data-dir, then exit",
            recoverAudit);
    addValue(app, "--retention-days", "N", kDurabilityGroup,
             "delete audit events older than N days (default 30)",
             [&o](const QString& option, const QString& v) {
                 o.retentionDays =
                     wholeNumber(option, v, 1, 1'000'000, QStringLiteral("--retention-days: at least 1 day"));
             });
    addValue(app, "--listen", "HOST:PORT", kApiGroup,
             "HTTP API address (default 127.0.0.1:8080; port 0 picks a free one). A non-loopback "
             "address needs an existing token file in the data dir",
             [&o](const QString&, const QString& v) { o.listen = listenAddress(v); });
    addValue(app, "--http-idle-timeout", "S", kApiGroup,
             "close HTTP connections idle for S seconds that are owed no reply (default 10)",
             [&o](const QString& option, const QString& v) {
                 o.httpIdleTimeoutSeconds = wholeNumber(
                     option, v, 1, 86'400, QStringLiteral("--http-idle-timeout: at least 1 second"));
             });
}

void CliParser::addAlertingAndTracingOptions() {
    CliOptions& o = options_;
    addValue(app, "--alert-webhook", "URL", kAlertingGroup,
             "POST every alert that fires or resolves to URL (JSON; retried with backoff)",
             [&o](const QString& option, const QString& v) { o.alertWebhook = httpUrl(option, v, {}); });
    addValue(app, "--alertmanager", "URL", kAlertingGroup,
             "send alerts to Prometheus Alertmanager at URL (API v2, e.g. http://127.0.0.1:9093)",
             [&o](const QString& option, const QString& v) { o.alertmanager = httpUrl(option, v, {}); });
    addValue(app, "--trace-sampler", "S", kTracingGroup,
             "always, never, probabilistic:P or rate:N per second (default rate:50); rejected and "
             "failed payments are always kept",
             [&o](const QString&, const QString& v) {
                 QString error;
                 if (!TraceSampler::parse(v, &error)) {
                     refuse(error);
                 }
                 o.traceSampler = v;
             });
    addValue(app, "--trace-capacity", "N", kTracingGroup, "traces kept in memory (default 10000)",
             [&o](const QString& option, const QString& v) {
                 o.traceCapacity = wholeNumber(option, v, 0, 10'000'000,
                                               QStringLiteral("--trace-capacity: from 0 to 10000000 traces"));
             });
    addValue(app, "--otlp-file", "FILE", kTracingGroup,
             "append kept traces to FILE as OTLP/JSON, one ExportTraceServiceRequest per line",
             [&o](const QString&, const QString& v) { o.otlpFile = v; });
    addValue(app, "--otlp-endpoint", "URL", kTracingGroup,
             "POST kept traces to an OTLP/HTTP collector (e.g. http://127.0.0.1:4318/v1/traces)",
             [&o](const QString& option, const QString& v) {
                 o.otlpEndpoint =
                     httpUrl(option, v, QStringLiteral(" such as http://127.0.0.1:4318/v1/traces"));
             });
}

void CliParser::addModeOptions() {
    CliOptions& o = options_;
    addFlag(app, "--headless", kHeadlessGroup,
            "run the engine and the HTTP API without a window; logs a KPI line every few seconds and "
            "stops cleanly on SIGINT or SIGTERM",
            headless);
    addValue(app, "--summary-every", "S", kHeadlessGroup, "seconds between KPI log lines (default 5)",
             [&o](const QString& option, const QString& v) {
                 o.summaryEverySeconds =
                     wholeNumber(option, v, 1, 86'400, QStringLiteral("--summary-every: at least 1 second"));
             });
    addValue(app, "--scenario", "NAME|FILE", kConsoleGroup,
             "run a training scenario (a built-in name or a file) on the virtual clock, with its briefing, "
             "speed control and debrief",
             [&o](const QString&, const QString& v) { o.scenario = v; });
    addValue(app, "--speed", "X", kConsoleGroup,
             "with --scenario: virtual seconds per real second, 1, 10, 100, any factor up to 1000000, "
             "or max (default 1)",
             [&o](const QString&, const QString& v) { o.speed = speedFactor(v); });
    addValue(app, "--view", "NAME", kConsoleGroup, "open on the metrics, deployments, andon or traces view",
             [&o](const QString&, const QString& v) {
                 if (v != u"metrics" && v != u"deployments" && v != u"andon" && v != u"traces") {
                     refuse(QStringLiteral("--view: expected metrics, deployments, andon or traces"));
                 }
                 o.view = v;
             });
    addValue(app, "--palette", "P", kConsoleGroup, "system (default: follow the desktop), light or dark",
             [&o](const QString&, const QString& v) {
                 if (v != u"system" && v != u"light" && v != u"dark") {
                     refuse(QStringLiteral("--palette: expected system, light or dark"));
                 }
                 o.palette = v;
             });
    addValue(app, "--screenshot", "FILE", kConsoleGroup, "save a PNG of the main window, then exit 0",
             [&o](const QString&, const QString& v) { o.screenshotPath = v; });
    addValue(app, "--after", "S", kConsoleGroup, "when to take the --screenshot, in seconds (default 0)",
             [&o](const QString& option, const QString& v) {
                 o.screenshotAfterSeconds = decimal(option, v, 0, 86'400);
             });
    addFlag(app, "--exit-after-first-frame", kConsoleGroup,
            "print first-frame on the first paint, then exit (how bench times startup)",
            o.exitAfterFirstFrame);
}

void CliParser::addReplay() {
    CliOptions& o = options_;
    replay =
        app.add_subcommand("replay",
                           "deterministic replay of a signals file (JSONL) into a decisions file (JSONL) "
                           "on a virtual clock; prints the outcome counts and the audit digest");
    replay->fallthrough();  // --policy, --seed and the other engine options may follow it
    replay->allow_extras();
    addValue(*replay, "--input", "FILE", "Replay options", "the signals, one JSON object per line",
             [&o](const QString&, const QString& v) { o.input = v; });
    addValue(*replay, "--output", "FILE", "Replay options", "where the decisions go, one line per input line",
             [&o](const QString&, const QString& v) { o.output = v; });
    addValue(*replay, "--compare-policy", "FILE", "Replay options",
             "what if: replay the same input and seed under this policy too; --output then gets the lines "
             "whose decisions differ (both decisions) and a summary of both runs",
             [&o](const QString&, const QString& v) { o.comparePolicyPath = v; });
}

void CliParser::addAuditExport() {
    CliOptions& o = options_;
    audit = app.add_subcommand("audit", "the durable audit trail");
    audit->fallthrough();
    audit->allow_extras();
    auditExport = audit->add_subcommand("export", "export a filtered range of the audit trail of --data-dir");
    auditExport->fallthrough();
    auditExport->allow_extras();
    const char* group = "Audit export options";
    addValue(*auditExport, "--output", "FILE", group, "where the export goes",
             [&o](const QString&, const QString& v) { o.output = v; });
    addValue(*auditExport, "--format", "F", group, "csv or jsonl (default jsonl)",
             [&o](const QString&, const QString& v) {
                 if (v != u"csv" && v != u"jsonl") {
                     refuse(QStringLiteral("--format: expected csv or jsonl"));
                 }
                 o.format = v;
             });
    // Repeatable and comma-separated: --kind operator,breaker_transition --kind decision.
    auditExport
        ->add_option_function<std::vector<std::string>>(
            "--kind",
            [&o](const std::vector<std::string>& values) {
                for (const std::string& raw : values) {
                    o.kinds
                        << valueOf(QStringLiteral("--kind"), raw).split(QLatin1Char(','), Qt::SkipEmptyParts);
                }
            },
            "only events of these kinds (comma-separated, repeatable): decision, breaker_transition, "
            "operator, alert, rollout_stage, rollback, policy, …")
        ->type_name("K[,K]")
        ->group(group)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    addValue(*auditExport, "--subject", "S", group, "only events about this subject",
             [&o](const QString&, const QString& v) { o.subject = v; });
    addValue(*auditExport, "--trace", "ID", group, "only the events of this trace id",
             [&o](const QString&, const QString& v) { o.traceId = v; });
    const auto instant = [](const QString& option, const QString& v) {
        if (!parseRfc3339(v)) {
            refuse(option +
                   QStringLiteral(": expected an RFC 3339 date-time like 2026-11-26T10:00:00Z (got '") + v +
                   QStringLiteral("')"));
        }
        return v;
    };
    addValue(*auditExport, "--from", "T", group, "only events at or after T (RFC 3339)",
             [&o, instant](const QString& option, const QString& v) { o.from = instant(option, v); });
    addValue(*auditExport, "--to", "T", group, "only events before T (RFC 3339)",
             [&o, instant](const QString& option, const QString& v) { o.to = instant(option, v); });
}

void CliParser::addAuditRecover() {
    // Nothing of its own: it works on --data-dir (or the default data dir), given before or after.
    auditRecover = audit->add_subcommand(
        "recover",
        "copy what a damaged audit.sqlite of --data-dir still holds (events, and idempotency keys, "
        "checked, or rebuilt from their decisions) to a new file, set the damaged one aside as "
        "audit.sqlite.damaged-TIME and report what was recovered and what was lost; run it when a "
        "start refuses the database");
    auditRecover->fallthrough();
    auditRecover->allow_extras();
}

void CliParser::addBench() {
    CliOptions& o = options_;
    bench = app.add_subcommand("bench",
                               "measure the DESIGN.md §13 targets on this machine and print a table "
                               "with the target beside each figure; takes about 20×N s plus the soak");
    bench->fallthrough();
    bench->allow_extras();
    const char* group = "Bench options";
    addValue(*bench, "--seconds", "N", group, "length of each measured phase (default 3)",
             [&o](const QString& option, const QString& v) {
                 o.benchSeconds =
                     decimal(option, v, 0.5, 600, QStringLiteral("--seconds: between 0.5 and 600"));
             });
    addValue(*bench, "--soak-seconds", "N", group, "length of the memory soak (default 10 × --seconds)",
             [&o](const QString& option, const QString& v) {
                 o.soakSeconds =
                     decimal(option, v, 1, 86'400, QStringLiteral("--soak-seconds: between 1 and 86400"));
             });
    addFlag(*bench, "--json", group, "print the figures as JSON on stdout (progress goes to stderr)", o.json);
}

void CliParser::addScenario() {
    CliOptions& o = options_;
    scenario = app.add_subcommand("scenario", "training scenarios (DESIGN.md §9.4)");
    scenario->fallthrough();
    scenario->allow_extras();
    scenarioList = scenario->add_subcommand("list", "name the built-in scenarios, with their titles");
    scenarioList->fallthrough();
    scenarioList->allow_extras();
    scenarioRun = scenario->add_subcommand(
        "run",
        "run a training scenario (a built-in name or a file) on the virtual clock without a window, "
        "print a summary and write its report (§9.5)");
    scenarioRun->fallthrough();
    scenarioRun->allow_extras();
    scenarioRun->add_option("scenario", scenarioName_, "a built-in scenario name or a scenario file")
        ->type_name("NAME|FILE");
    scenarioRun->callback([this, &o] { o.scenario = QString::fromStdString(scenarioName_); });
    const char* group = "Scenario run options";
    addValue(*scenarioRun, "--speed", "X", group,
             "1, 10, 100, any factor up to 1000000, or max (default max)",
             [&o](const QString&, const QString& v) { o.speed = speedFactor(v); });
    addValue(*scenarioRun, "--report", "FILE", group, "write the §9.5 report (JSON) to FILE",
             [&o](const QString&, const QString& v) { o.reportPath = v; });
    addFlag(*scenarioRun, "--interactive", group,
            "read speed control lines on stdin: pause, resume, step, event, 1, 10, 100, max", o.interactive);
}

}  // namespace tai::app
