#include "cli.h"

#include "fault_spec.h"
#include "trace/trace_sampler.h"

#include <QUrl>

#include <limits>

namespace tai::app {

namespace {

struct Cursor {
    const QStringList& args;
    int index;
    QString error;

    bool takeValue(const QString& option, QString& out) {
        if (index + 1 >= args.size() || args.at(index + 1).startsWith(QStringLiteral("--"))) {
            error = option + QStringLiteral(" needs a value");
            return false;
        }
        out = args.at(++index);
        return true;
    }
};

template <typename Number>
bool parseNumber(const QString& option, const QString& text, Number& out, QString& error) {
    bool ok = false;
    if constexpr (std::is_same_v<Number, double>) {
        out = text.toDouble(&ok);
        ok = ok && out >= 0;
    } else if constexpr (std::is_same_v<Number, quint64>) {
        out = text.toULongLong(&ok);
    } else {
        out = text.toInt(&ok);
        ok = ok && out >= 0;
    }
    if (!ok) {
        error = option + QStringLiteral(": '") + text + QStringLiteral("' is not a valid number");
    }
    return ok;
}

}  // namespace

CliParse parseCommandLine(const QStringList& arguments) {
    CliOptions options;
    Cursor cursor{arguments, 1, {}};
    if (arguments.size() > 1 && arguments.at(1) == u"replay") {
        options.mode = Mode::Replay;
        options.ephemeral = true;
        cursor.index = 2;
    } else if (arguments.size() > 2 && arguments.at(1) == u"audit" && arguments.at(2) == u"export") {
        options.mode = Mode::AuditExport;
        cursor.index = 3;
    } else if (arguments.size() > 2 && arguments.at(1) == u"audit" && arguments.at(2) == u"recover") {
        options.mode = Mode::AuditRecover;
        cursor.index = 3;
    } else if (arguments.size() > 2 && arguments.at(1) == u"scenario" && arguments.at(2) == u"list") {
        options.mode = Mode::ScenarioList;
        cursor.index = 3;
    } else if (arguments.size() > 1 && arguments.at(1) == u"scenario") {
        if (arguments.size() < 4 || arguments.at(2) != u"run" ||
            arguments.at(3).startsWith(QStringLiteral("--"))) {
            return {std::nullopt,
                    QStringLiteral(
                        "scenario: expected 'scenario list' or 'scenario run NAME|FILE' (see --help)")};
        }
        options.mode = Mode::ScenarioRun;
        options.scenario = arguments.at(3);
        options.ephemeral = true;
        cursor.index = 4;
    } else if (arguments.size() > 1 && arguments.at(1) == u"bench") {
        options.mode = Mode::Bench;
        options.ephemeral = true;
        cursor.index = 2;
    }
    for (; cursor.index < arguments.size(); ++cursor.index) {
        const QString arg = arguments.at(cursor.index);
        QString value;
        QString& error = cursor.error;
        if (arg == u"--help" || arg == u"-h") {
            options.mode = Mode::Help;
            return {options, {}};
        } else if (arg == u"--version") {
            options.mode = Mode::Version;
            return {options, {}};
        } else if (arg == u"--headless" && options.mode != Mode::Replay) {
            options.mode = Mode::Headless;
        } else if (arg == u"--recover-audit") {
            options.mode = Mode::AuditRecover;  // the same as `audit recover`
        } else if (arg == u"--ephemeral") {
            options.ephemeral = true;
        } else if (arg == u"--data-dir" && cursor.takeValue(arg, value)) {
            options.dataDir = value;
        } else if (arg == u"--policy" && cursor.takeValue(arg, value)) {
            options.policyPath = value;
        } else if (arg == u"--listen" && cursor.takeValue(arg, value)) {
            options.listen = value;
        } else if (arg == u"--http-idle-timeout" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.httpIdleTimeoutSeconds, error) ||
                options.httpIdleTimeoutSeconds < 1) {
                return {std::nullopt,
                        error.isEmpty() ? QStringLiteral("--http-idle-timeout: at least 1 second") : error};
            }
        } else if (arg == u"--retention-days" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.retentionDays, error)) {
                return {std::nullopt, error};
            }
        } else if (options.mode == Mode::AuditExport && arg == u"--format" && cursor.takeValue(arg, value)) {
            if (value != u"csv" && value != u"jsonl") {
                return {std::nullopt, QStringLiteral("--format: expected csv or jsonl")};
            }
            options.format = value;
        } else if (options.mode == Mode::AuditExport && arg == u"--kind" && cursor.takeValue(arg, value)) {
            options.kinds << value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else if (options.mode == Mode::AuditExport && arg == u"--subject" && cursor.takeValue(arg, value)) {
            options.subject = value;
        } else if (options.mode == Mode::AuditExport && arg == u"--trace" && cursor.takeValue(arg, value)) {
            options.traceId = value;
        } else if (options.mode == Mode::AuditExport && arg == u"--from" && cursor.takeValue(arg, value)) {
            options.from = value;
        } else if (options.mode == Mode::AuditExport && arg == u"--to" && cursor.takeValue(arg, value)) {
            options.to = value;
        } else if (options.mode == Mode::AuditExport && arg == u"--output" && cursor.takeValue(arg, value)) {
            options.output = value;
        } else if (options.mode == Mode::Bench && arg == u"--json") {
            options.json = true;
        } else if (options.mode == Mode::Bench && arg == u"--seconds" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.benchSeconds, error) || options.benchSeconds < 0.5 ||
                options.benchSeconds > 600) {
                return {std::nullopt,
                        error.isEmpty() ? QStringLiteral("--seconds: between 0.5 and 600") : error};
            }
        } else if (options.mode == Mode::Bench && arg == u"--soak-seconds" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.soakSeconds, error) || options.soakSeconds < 1 ||
                options.soakSeconds > 86'400) {
                return {std::nullopt,
                        error.isEmpty() ? QStringLiteral("--soak-seconds: between 1 and 86400") : error};
            }
        } else if (arg == u"--exit-after-first-frame" && options.mode == Mode::Gui) {
            options.exitAfterFirstFrame = true;
        } else if (arg == u"--input" && options.mode == Mode::Replay && cursor.takeValue(arg, value)) {
            options.input = value;
        } else if (arg == u"--output" && options.mode == Mode::Replay && cursor.takeValue(arg, value)) {
            options.output = value;
        } else if (arg == u"--seed" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.seed, error)) {
                return {std::nullopt, error};
            }
            options.seedGiven = true;
        } else if (arg == u"--scenario" && options.mode == Mode::Gui && cursor.takeValue(arg, value)) {
            options.scenario = value;
        } else if (arg == u"--speed" && (options.mode == Mode::Gui || options.mode == Mode::ScenarioRun) &&
                   cursor.takeValue(arg, value)) {
            bool ok = false;
            const double speed =
                value == u"max" ? std::numeric_limits<double>::infinity() : value.toDouble(&ok);
            if (value != u"max" && (!ok || !(speed > 0) || speed > 1e6)) {
                return {std::nullopt, QStringLiteral("--speed: expected a factor such as 1, 10 or 100 (up to "
                                                     "1000000), or max (got '") +
                                          value + QStringLiteral("')")};
            }
            options.speed = speed;
        } else if (arg == u"--report" && options.mode == Mode::ScenarioRun && cursor.takeValue(arg, value)) {
            options.reportPath = value;
        } else if (arg == u"--interactive" && options.mode == Mode::ScenarioRun) {
            options.interactive = true;
        } else if (arg == u"--load" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.loadPerSecond, error)) {
                return {std::nullopt, error};
            }
        } else if (arg == u"--summary-every" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.summaryEverySeconds, error)) {
                return {std::nullopt, error};
            }
        } else if (arg == u"--fault" && cursor.takeValue(arg, value)) {
            options.fault = parseFaultSpec(value, &error);
            if (!options.fault) {
                return {std::nullopt, error};
            }
        } else if (arg == u"--infra-fault" && cursor.takeValue(arg, value)) {
            options.infraFault = parseInfraFaultSpec(value, &error);
            if (!options.infraFault) {
                return {std::nullopt, error};
            }
        } else if (arg == u"--deploy" && cursor.takeValue(arg, value)) {
            if (value.count(QLatin1Char(':')) != 1 || value.startsWith(QLatin1Char(':')) ||
                value.endsWith(QLatin1Char(':'))) {
                return {std::nullopt,
                        QStringLiteral("--deploy: expected SERVICE:VERSION, e.g. api-service:v2.0.0")};
            }
            options.deploy = value;
        } else if (arg == u"--palette" && cursor.takeValue(arg, value)) {
            if (value != u"system" && value != u"light" && value != u"dark") {
                return {std::nullopt, QStringLiteral("--palette: expected system, light or dark")};
            }
            options.palette = value;
        } else if (arg == u"--view" && cursor.takeValue(arg, value)) {
            if (value != u"metrics" && value != u"deployments" && value != u"andon" && value != u"traces") {
                return {std::nullopt,
                        QStringLiteral("--view: expected metrics, deployments, andon or traces")};
            }
            options.view = value;
        } else if (arg == u"--fault-after" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.faultAfterSeconds, error)) {
                return {std::nullopt, error};
            }
        } else if ((arg == u"--alert-webhook" || arg == u"--alertmanager") && cursor.takeValue(arg, value)) {
            const QUrl url(value, QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
                url.host().isEmpty()) {
                return {std::nullopt, arg + QStringLiteral(": expected an http:// or https:// URL (got '") +
                                          value + QStringLiteral("')")};
            }
            (arg == u"--alert-webhook" ? options.alertWebhook : options.alertmanager) = value;
        } else if (arg == u"--trace-sampler" && cursor.takeValue(arg, value)) {
            if (!TraceSampler::parse(value, &error)) {
                return {std::nullopt, error};
            }
            options.traceSampler = value;
        } else if (arg == u"--trace-capacity" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.traceCapacity, error) ||
                options.traceCapacity > 10'000'000) {
                return {std::nullopt, error.isEmpty()
                                          ? QStringLiteral("--trace-capacity: from 0 to 10000000 traces")
                                          : error};
            }
        } else if (arg == u"--otlp-file" && cursor.takeValue(arg, value)) {
            options.otlpFile = value;
        } else if (arg == u"--otlp-endpoint" && cursor.takeValue(arg, value)) {
            const QUrl url(value, QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
                url.host().isEmpty()) {
                return {std::nullopt, QStringLiteral("--otlp-endpoint: expected an http:// URL such as "
                                                     "http://127.0.0.1:4318/v1/traces (got '") +
                                          value + QStringLiteral("')")};
            }
            options.otlpEndpoint = value;
        } else if (arg == u"--screenshot" && cursor.takeValue(arg, value)) {
            options.screenshotPath = value;
        } else if (arg == u"--after" && cursor.takeValue(arg, value)) {
            if (!parseNumber(arg, value, options.screenshotAfterSeconds, error)) {
                return {std::nullopt, error};
            }
        } else {
            if (error.isEmpty()) {
                error = QStringLiteral("unknown option or command: ") + arg;
            }
            return {std::nullopt, error + QStringLiteral(" (see --help)")};
        }
    }
    if (options.mode == Mode::Replay && (options.input.isEmpty() || options.output.isEmpty())) {
        return {std::nullopt, QStringLiteral("replay needs --input FILE and --output FILE (see --help)")};
    }
    if (options.summaryEverySeconds < 1 || options.retentionDays < 1) {
        return {std::nullopt, QStringLiteral("--summary-every and --retention-days must be at least 1")};
    }
    if (options.mode == Mode::AuditExport && (options.output.isEmpty() || options.ephemeral)) {
        return {std::nullopt,
                QStringLiteral("audit export needs --output FILE and a persistent data dir (see --help)")};
    }
    if (options.mode == Mode::AuditRecover && options.ephemeral) {
        return {std::nullopt,
                QStringLiteral("audit recover works on a data dir's audit.sqlite; --ephemeral does not apply")};
    }
    if (options.speed > 0 && options.mode == Mode::Gui && options.scenario.isEmpty()) {
        return {std::nullopt, QStringLiteral("--speed applies to a scenario: add --scenario NAME|FILE")};
    }
    if ((options.mode == Mode::ScenarioRun || !options.scenario.isEmpty()) &&
        (options.fault || options.infraFault || !options.deploy.isEmpty())) {
        return {std::nullopt,
                QStringLiteral("--fault, --infra-fault and --deploy do not apply to a scenario: put them "
                               "in its timeline as gateway.fault, infra.fault and deploy events")};
    }
    if ((options.mode == Mode::ScenarioRun || !options.scenario.isEmpty()) && !options.dataDir.isEmpty()) {
        return {std::nullopt,
                QStringLiteral("scenarios always run on a fresh in-memory trail (restored keys would "
                               "change the run); --data-dir does not apply")};
    }
    if (options.mode == Mode::Replay && !options.dataDir.isEmpty()) {
        return {std::nullopt, QStringLiteral("replay always runs in memory; --data-dir does not apply")};
    }
    return {options, {}};
}

QString helpText() {
    return QStringLiteral(
        "TAI Console " TAI_VERSION
        " - resilience engine and operations console\n"
        "\n"
        "Usage:\n"
        "  tai-console [options]                 the console, running the built-in demo load\n"
        "  tai-console --headless [options]      the engine without a window; logs a KPI line\n"
        "                                        every few seconds; stops on SIGINT/SIGTERM\n"
        "  tai-console replay --input F --output F [--policy F] [--seed N] [--ephemeral]\n"
        "                                        deterministic replay of a signals file (JSONL)\n"
        "                                        into a decisions file (JSONL), on a virtual clock\n"
        "  tai-console audit export --output F [--format csv|jsonl] [--kind K[,K]] [--subject S]\n"
        "                          [--trace ID] [--from RFC3339] [--to RFC3339] [--data-dir DIR]\n"
        "                                        export a filtered range of the audit trail\n"
        "  tai-console audit recover [--data-dir DIR]   (or --recover-audit)\n"
        "                                        copy what a damaged audit.sqlite still holds to a\n"
        "                                        new file, set the damaged one aside, report counts\n"
        "  tai-console scenario list             the built-in training scenarios, with titles\n"
        "  tai-console scenario run NAME|FILE [--speed X] [--report F] [--seed N] [--interactive]\n"
        "                                        run a training scenario on the virtual clock and\n"
        "                                        write its report (JSON, §9.5); speed 1, 10, 100,\n"
        "                                        any factor, or max (default max). --interactive\n"
        "                                        reads speed control lines from stdin: pause,\n"
        "                                        resume, step, event, 1, 10, 100, max\n"
        "  tai-console --scenario NAME|FILE [--speed X]\n"
        "                                        the console running a training scenario, with its\n"
        "                                        briefing, speed control and debrief (default 1×)\n"
        "  tai-console bench [--seconds N] [--soak-seconds N] [--json]\n"
        "                                        measure the DESIGN.md §13 targets on this machine:\n"
        "                                        N seconds per figure (default 3), a soak of\n"
        "                                        10×N seconds unless given; JSON for machines.\n"
        "                                        Takes about 20×N s plus the soak\n"
        "\n"
        "Options:\n"
        "  --policy F          policy file (JSON, partial files allowed; see README). Built in:\n"
        "                      :/policies/default.json, :/policies/fast-rollout.json (demo)\n"
        "  --data-dir DIR      where durable state lives (default: the app data dir)\n"
        "  --ephemeral         keep everything in memory (audit trail, idempotency keys, token)\n"
        "  --retention-days N  delete audit events older than N days (default 30)\n"
        "  --http-idle-timeout S  close HTTP connections idle for S seconds with no reply owed (default 10)\n"
        "  --listen HOST:PORT  HTTP API address (default 127.0.0.1:8080; port 0 picks one). A\n"
        "                      non-loopback address needs an existing token file in the data dir\n"
        "  --seed N            seed for the simulators and generated ids (default 1)\n"
        "  --load N            generated payments per second, headless and demo (default 200)\n"
        "  --summary-every S   headless: seconds between KPI log lines (default 5)\n"
        "  --fault SPEC        inject a gateway fault: down, error=R, timeout=R, latency=MS,\n"
        "                      jitter=MS, comma-separated (e.g. error=0.3,latency=200)\n"
        "  --fault-after S     apply --fault S seconds after start (default 0)\n"
        "  --infra-fault SPEC  inject an infrastructure fault: region=R (required), version=V,\n"
        "                      error=R, p99=MS, actions=R (action failure rate), capacity=N\n"
        "  --deploy S:V        request a deployment of service S at version V at start\n"
        "  --alert-webhook URL POST each alert that fires or resolves to URL (JSON; retried)\n"
        "  --alertmanager URL  send alerts to Prometheus Alertmanager at URL (API v2)\n"
        "  --trace-sampler S   always, never, probabilistic:P or rate:N per second (default rate:50);\n"
        "                      rejected and failed payments are always traced\n"
        "  --trace-capacity N  traces kept in memory (default 10000)\n"
        "  --otlp-file F       append kept traces to F as OTLP/JSON, one request per line\n"
        "  --otlp-endpoint URL POST kept traces to an OTLP/HTTP collector (.../v1/traces)\n"
        "  --view NAME         GUI: open on the metrics, deployments, andon or traces view\n"
        "  --palette P         GUI: system (default: follow the desktop), light or dark\n"
        "  --screenshot FILE   GUI: save a PNG of the main window, then exit 0\n"
        "  --after SECONDS     GUI: when to take the screenshot (default 0)\n"
        "  --exit-after-first-frame  GUI: print first-frame when painted, then exit (startup timing)\n"
        "  --version           print the version\n"
        "  -h, --help          print this help\n"
        "\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad command line or policy file,\n"
        "3 bench counters that do not reconcile, 4 a scenario file that does not validate.\n");
}

}  // namespace tai::app
