#include "bench_mode.h"

#include "bench_http.h"
#include "bench_rigs.h"
#include "bench_ui.h"
#include "policy_loading.h"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSysInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <thread>

#include <spdlog/spdlog.h>

namespace tai::app {

namespace {

struct Machine {
    int cores = 0;
    QString cpuModel;
    QString buildType;
};

Machine describeMachine() {
    Machine machine;
    machine.cores = static_cast<int>(std::thread::hardware_concurrency());
    machine.buildType = QStringLiteral(TAI_BUILD_TYPE);
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : cpuinfo.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                machine.cpuModel = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
                break;
            }
        }
    }
    if (machine.cpuModel.isEmpty()) {
        machine.cpuModel = QSysInfo::currentCpuArchitecture();
    }
    return machine;
}

struct Results {
    Machine machine;
    ThroughputRun pipeline;
    ThroughputRun bare;
    QueueRun queues;
    LatencyRun latency;
    ThroughputRun durable;
    double sqliteBareRowsPerS = 0;
    SoakRun soak;
    UiRun ui;
    HttpRun http;
    double startupMs = -1;
    std::map<std::string, double> stages;
};

void progress(bool quiet, const char* what) {
    if (!quiet) {
        std::fprintf(stderr, "bench: %s…\n", what);
    }
}

QString reconciliationText(const Reconciliation& c) {
    return QStringLiteral(
               "received %1 = charged %2 + rejected %3 + shed %4 + failed %5 + invalid %6 + "
               "duplicate %7 + conflict %8 (= %9); Kaizen counted %10: %11")
        .arg(c.received)
        .arg(c.charged)
        .arg(c.rejected)
        .arg(c.shed)
        .arg(c.failed)
        .arg(c.invalid)
        .arg(c.duplicate)
        .arg(c.conflict)
        .arg(c.decided())
        .arg(c.metricsTotal)
        .arg(c.holds() ? QStringLiteral("reconciled") : QStringLiteral("DO NOT RECONCILE"));
}

ThroughputRun medianRun(std::vector<ThroughputRun> runs) {
    std::sort(runs.begin(), runs.end(),
              [](const ThroughputRun& a, const ThroughputRun& b) { return a.signalsPerS < b.signalsPerS; });
    return runs[runs.size() / 2];
}

bool reconciled(const Results& r) {
    return r.pipeline.counters.holds() && r.durable.counters.holds() && r.soak.counters.holds() &&
           r.http.error.isEmpty() && r.http.connectionErrors == 0;
}

double ratio(double a, double b) {
    return b > 0 ? a / b : 0;
}

QJsonObject toJson(const Results& r) {
    QJsonObject stages;
    for (const auto& [name, ns] : r.stages) {
        stages.insert(QString::fromStdString(name), ns);
    }
    return QJsonObject{
        {QStringLiteral("pipeline_signals_per_s"), r.pipeline.signalsPerS},
        {QStringLiteral("bare_loop_signals_per_s"), r.bare.signalsPerS},
        {QStringLiteral("pipeline_vs_bare_loop"), ratio(r.pipeline.signalsPerS, r.bare.signalsPerS)},
        {QStringLiteral("kanban_vs_moodycamel"), ratio(r.queues.kanbanPerS, r.queues.moodycamelPerS)},
        {QStringLiteral("latency_p50_us"), r.latency.p50Us},
        {QStringLiteral("latency_p99_us"), r.latency.p99Us},
        {QStringLiteral("latency_p999_us"), r.latency.p999Us},
        {QStringLiteral("durable_signals_per_s"), r.durable.signalsPerS},
        {QStringLiteral("sqlite_bare_rows_per_s"), r.sqliteBareRowsPerS},
        {QStringLiteral("durable_vs_sqlite_bare"), ratio(r.durable.signalsPerS, r.sqliteBareRowsPerS)},
        {QStringLiteral("allocations_per_signal"), r.pipeline.allocationsPerSignal},
        {QStringLiteral("ui_frame_p99_ms"), r.ui.frameP99Ms},
        {QStringLiteral("ui_frame_max_ms"), r.ui.frameMaxMs},
        {QStringLiteral("rss_growth_mb"), r.soak.rssAfterMb - r.soak.rssBeforeMb},
        {QStringLiteral("startup_ms"), r.startupMs},
        {QStringLiteral("http_healthz_per_s"), r.http.healthzPerS},
        {QStringLiteral("http_payments_per_s"), r.http.paymentsPerS},
        {QStringLiteral("http_vs_healthz"), ratio(r.http.paymentsPerS, r.http.healthzPerS)},
        {QStringLiteral("http_single_client_p50_ms"), r.http.singleClientP50Ms},
        {QStringLiteral("http_single_client_p99_ms"), r.http.singleClientP99Ms},
        {QStringLiteral("http_durable_payments_per_s"), r.http.durablePaymentsPerS},
        {QStringLiteral("stage_ns"), stages},
        {QStringLiteral("machine"), QJsonObject{{QStringLiteral("cores"), r.machine.cores},
                                                {QStringLiteral("cpu_model"), r.machine.cpuModel},
                                                {QStringLiteral("build_type"), r.machine.buildType}}},
    };
}

QString grouped(double value) {
    return QLocale(QLocale::English).toString(value, 'f', 0);
}

void printTable(const Results& r, double seconds) {
    const auto line = [](const QString& figure, const QString& measured, const QString& target, bool met) {
        std::printf("  %-34s %22s   %-18s %s\n", qPrintable(figure), qPrintable(measured), qPrintable(target),
                    target.isEmpty() ? "" : (met ? "met" : "MISSED"));
    };
    const auto num = [](double v, int decimals) {
        return QString::number(v, 'f', decimals);
    };
    std::printf("TAI Console bench · %d cores · %s · %s build · %s s per figure\n\n", r.machine.cores,
                qPrintable(r.machine.cpuModel), qPrintable(r.machine.buildType), qPrintable(num(seconds, 1)));
    std::printf("  %-34s %22s   %-18s\n", "figure", "measured", "DESIGN.md §13");
    line(QStringLiteral("pipeline (signals/s)"), grouped(r.pipeline.signalsPerS),
         QStringLiteral("≥ 1,000,000"), r.pipeline.signalsPerS >= 1e6);
    line(QStringLiteral("bare loop (signals/s)"), grouped(r.bare.signalsPerS), {}, true);
    line(QStringLiteral("pipeline ÷ bare loop"), num(ratio(r.pipeline.signalsPerS, r.bare.signalsPerS), 2),
         QStringLiteral("≥ 0.5"), ratio(r.pipeline.signalsPerS, r.bare.signalsPerS) >= 0.5);
    line(QStringLiteral("Kanban handoffs (items/s)"), grouped(r.queues.kanbanPerS), {}, true);
    line(QStringLiteral("moodycamel handoffs (items/s)"), grouped(r.queues.moodycamelPerS), {}, true);
    line(QStringLiteral("Kanban ÷ moodycamel"), num(ratio(r.queues.kanbanPerS, r.queues.moodycamelPerS), 2),
         {}, true);
    line(QStringLiteral("latency p50 (µs) at ") + grouped(r.latency.offeredPerS) + QStringLiteral("/s"),
         num(r.latency.p50Us, 2), QStringLiteral("≤ 2"), r.latency.p50Us <= 2);
    line(QStringLiteral("latency p99 (µs)"), num(r.latency.p99Us, 2), QStringLiteral("≤ 20"),
         r.latency.p99Us <= 20);
    line(QStringLiteral("latency p99.9 (µs)"), num(r.latency.p999Us, 2), QStringLiteral("≤ 250"),
         r.latency.p999Us <= 250);
    line(QStringLiteral("latency max (µs)"), num(r.latency.maxUs, 1), {}, true);
    line(QStringLiteral("durable pipeline (signals/s)"), grouped(r.durable.signalsPerS),
         QStringLiteral("≥ 200,000"), r.durable.signalsPerS >= 200'000);
    line(QStringLiteral("bare sqlite3 loop (rows/s)"), grouped(r.sqliteBareRowsPerS), {}, true);
    line(QStringLiteral("durable ÷ bare sqlite3"), num(ratio(r.durable.signalsPerS, r.sqliteBareRowsPerS), 2),
         QStringLiteral("≥ 0.8"), ratio(r.durable.signalsPerS, r.sqliteBareRowsPerS) >= 0.8);
    line(QStringLiteral("heap allocations per signal"), num(r.pipeline.allocationsPerSignal, 2),
         QStringLiteral("0"), r.pipeline.allocationsPerSignal < 0.01);
    line(QStringLiteral("UI frame p99 (ms)"), num(r.ui.frameP99Ms, 2), QStringLiteral("≤ 16"),
         r.ui.frameP99Ms <= 16);
    line(QStringLiteral("UI frame max (ms)"), num(r.ui.frameMaxMs, 2), QStringLiteral("≤ 50"),
         r.ui.frameMaxMs <= 50);
    line(QStringLiteral("engine during UI run (signals/s)"), grouped(r.ui.engineSignalsPerS),
         QStringLiteral("≥ 200,000"), r.ui.engineSignalsPerS >= 200'000);
    line(QStringLiteral("GUI thread CPU (% of a core)"), num(r.ui.guiThreadCpuPercent, 1),
         QStringLiteral("≤ 25"), r.ui.guiThreadCpuPercent <= 25);
    line(QStringLiteral("RSS growth over ") + num(r.soak.seconds, 0) + QStringLiteral(" s soak (MB)"),
         num(r.soak.rssAfterMb - r.soak.rssBeforeMb, 2), QStringLiteral("≤ 5 (10 min)"),
         r.soak.rssAfterMb - r.soak.rssBeforeMb <= 5);
    line(QStringLiteral("startup to first frame (ms)"), num(r.startupMs, 0), QStringLiteral("≤ 1000"),
         r.startupMs >= 0 && r.startupMs <= 1000);
    line(QStringLiteral("HTTP GET /healthz, 64 conns (req/s)"), grouped(r.http.healthzPerS), {}, true);
    line(QStringLiteral("HTTP payments, 64 conns (req/s)"), grouped(r.http.paymentsPerS),
         QStringLiteral("≥ 30,000"), r.http.paymentsPerS >= 30'000);
    line(QStringLiteral("HTTP payments ÷ /healthz"), num(ratio(r.http.paymentsPerS, r.http.healthzPerS), 2),
         QStringLiteral("≥ 0.5"), ratio(r.http.paymentsPerS, r.http.healthzPerS) >= 0.5);
    line(QStringLiteral("HTTP payment, 1 client, p50 (ms)"), num(r.http.singleClientP50Ms, 3),
         QStringLiteral("≤ 0.5"), r.http.singleClientP50Ms <= 0.5);
    line(QStringLiteral("HTTP payment, 1 client, p99 (ms)"), num(r.http.singleClientP99Ms, 3), {}, true);
    line(QStringLiteral("HTTP durable payments, 64 conns"), grouped(r.http.durablePaymentsPerS),
         QStringLiteral("≥ 20,000"), r.http.durablePaymentsPerS >= 20'000);
    if (!r.http.error.isEmpty() || r.http.connectionErrors > 0) {
        std::printf("  HTTP runs: %s, %llu connection errors\n", qPrintable(r.http.error),
                    static_cast<unsigned long long>(r.http.connectionErrors));
    }
    std::printf("\n  ns per signal by stage:");
    for (const auto& [name, ns] : r.stages) {
        std::printf("  %s %.1f", name.c_str(), ns);
    }
    std::printf("\n\n  counters, pipeline run: %s\n", qPrintable(reconciliationText(r.pipeline.counters)));
    std::printf("  counters, durable run:  %s\n", qPrintable(reconciliationText(r.durable.counters)));
    std::printf("  counters, soak:         %s\n", qPrintable(reconciliationText(r.soak.counters)));
    std::printf("\n  docs/BENCHMARKS.md says what each figure measures.\n");
}

}  // namespace

int runBenchMode(int& argc, char** argv, const CliOptions& options) {
    // The UI figures are measured offscreen, whatever display there is.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    // stdout carries only the result (JSON must parse); the offscreen plugin's chatter is noise.
    spdlog::set_level(spdlog::level::warn);
    QLoggingCategory::setFilterRules(QStringLiteral("qt.qpa.*=false"));
    QApplication::setApplicationName(QStringLiteral("tai-console"));
    QApplication::setOrganizationName(QStringLiteral("TAI Console"));
    auto config = engineConfigFor(options);
    if (!config) {
        return 2;
    }
    const PaymentsConfig& payments = config->policy.payments;
    const double seconds = options.benchSeconds;
    const double soakSeconds = options.soakSeconds > 0 ? options.soakSeconds : 10 * seconds;
    const bool quiet = false;

    Results r;
    r.machine = describeMachine();
    progress(quiet, "stages");
    r.stages = measureStages(payments);
    // The two rates the ratio compares run in three interleaved rounds; each figure is the round
    // with the median rate, so one noisy second on a shared machine does not decide it.
    progress(quiet, "bare loop and pipeline, three rounds each");
    std::vector<ThroughputRun> bare;
    std::vector<ThroughputRun> pipeline;
    for (int round = 0; round < 3; ++round) {
        bare.push_back(measureBareLoop(payments, seconds));
        pipeline.push_back(measurePipeline(payments, seconds));
    }
    r.bare = medianRun(bare);
    r.pipeline = medianRun(pipeline);
    progress(quiet, "Kanban and moodycamel queues");
    r.queues = measureQueues(seconds);
    progress(quiet, "latency at half the pipeline's rate");
    r.latency = measureLatency(payments, r.pipeline.signalsPerS / 2, seconds);
    // The durable pipeline and the bare sqlite3 loop share the disk and its noise: three
    // interleaved rounds each, each on a fresh file, and the median round of each counts.
    progress(quiet, "durable pipeline and bare sqlite3 loop, three rounds each");
    const std::vector<AuditRow> rows = decisionRows(payments, 1 << 16);
    std::vector<ThroughputRun> durable;
    std::vector<double> sqliteBare;
    for (int round = 0; round < 3; ++round) {
        QTemporaryDir directory;
        durable.push_back(measureDurable(payments, directory.path().toStdString(), seconds));
        sqliteBare.push_back(measureSqliteBare(rows, directory.path().toStdString(), seconds));
    }
    r.durable = medianRun(durable);
    std::sort(sqliteBare.begin(), sqliteBare.end());
    r.sqliteBareRowsPerS = sqliteBare[1];
    progress(quiet, "HTTP path over loopback");
    QTemporaryDir httpDirectory;
    r.http = measureHttp(*config, httpDirectory.path(), seconds);
    progress(quiet, "soak");
    r.soak = measureSoak(payments, std::max(2.0, seconds), soakSeconds);
    progress(quiet, "UI frames under load");
    r.ui = measureUiFrames(*config, std::max(2.0, seconds));
    progress(quiet, "startup");
    r.startupMs = measureStartupMs();

    if (options.json) {
        std::fputs(QJsonDocument(toJson(r)).toJson(QJsonDocument::Indented).constData(), stdout);
        std::fprintf(stderr, "bench: pipeline counters: %s\n",
                     qPrintable(reconciliationText(r.pipeline.counters)));
    } else {
        printTable(r, seconds);
    }
    return reconciled(r) ? 0 : 3;
}

}  // namespace tai::app
