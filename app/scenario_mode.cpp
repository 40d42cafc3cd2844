#include "scenario_mode.h"

#include "policy_loading.h"
#include "scenario/scenario_session.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSocketNotifier>

#include <cmath>
#include <cstdio>

#include <unistd.h>

#include <spdlog/spdlog.h>

namespace tai::app {

int runScenarioList() {
    for (const QString& name : builtinScenarioNames()) {
        const LoadedScenario loaded = loadScenario(name);
        if (!loaded.scenario) {  // a broken built-in is a build defect; say so rather than hide it
            std::fprintf(stderr, "%s\n", qPrintable(loaded.errors.join(QLatin1Char('\n'))));
            return 1;
        }
        const Scenario& s = *loaded.scenario;
        std::printf("%-18s %-36s %4.0f s  seed %llu\n", qPrintable(s.name), qPrintable(s.title), s.durationS,
                    static_cast<unsigned long long>(s.seed));
    }
    return 0;
}

namespace {

void printSummary(const Scenario& scenario, const QJsonObject& report) {
    const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
    const QJsonObject kpis = report.value(QStringLiteral("kpis")).toObject();
    std::printf("%s (seed %lld, %.0f s virtual)\n", qPrintable(scenario.title),
                static_cast<long long>(report.value(QStringLiteral("seed")).toInteger()), scenario.durationS);
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it.value().toInteger() > 0) {
            parts << it.key() + QLatin1Char(' ') + QString::number(it.value().toInteger());
        }
    }
    std::printf("  payments: %s\n", qPrintable(parts.join(QStringLiteral(", "))));
    std::printf("  success rate %.2f %%, p99 %.1f ms, breaker trips %lld, rollbacks %lld\n",
                kpis.value(QStringLiteral("success_rate")).toDouble() * 100,
                kpis.value(QStringLiteral("p99_ms")).toDouble(),
                static_cast<long long>(kpis.value(QStringLiteral("breaker_trips")).toInteger()),
                static_cast<long long>(kpis.value(QStringLiteral("rollbacks")).toInteger()));
    for (const QJsonValue& v : report.value(QStringLiteral("objectives")).toArray()) {
        const QJsonObject o = v.toObject();
        const bool met = o.value(QStringLiteral("met")).toBool();
        QString detail;
        if (o.contains(QStringLiteral("after_s"))) {
            detail = QStringLiteral(" after %1 s").arg(o.value(QStringLiteral("after_s")).toDouble());
        } else if (o.contains(QStringLiteral("note"))) {
            detail = QStringLiteral(" (") + o.value(QStringLiteral("note")).toString() + QLatin1Char(')');
        }
        QString subject;
        for (const char* key : {"alert", "breaker", "region", "command", "max"}) {
            if (o.contains(QLatin1String(key))) {
                subject = o.value(QLatin1String(key)).toVariant().toString();
            }
        }
        std::printf("  objective %-18s %-20s %s%s\n", qPrintable(o.value(QStringLiteral("kind")).toString()),
                    qPrintable(subject), met ? "MET" : "NOT MET", qPrintable(detail));
    }
    std::printf("audit_digest %s\n", qPrintable(report.value(QStringLiteral("audit_digest")).toString()));
}

}  // namespace

int runScenarioMode(int& argc, char** argv, const CliOptions& options) {
    QCoreApplication app(argc, argv);
    spdlog::set_level(spdlog::level::warn);  // the story is in the summary and the report
    const LoadedScenario loaded = loadScenario(options.scenario);
    if (!loaded.scenario) {
        for (const QString& error : loaded.errors) {
            std::fprintf(stderr, "tai-console: %s\n", qPrintable(error));
        }
        return 4;
    }
    auto config = engineConfigFor(options);
    if (!config) {
        return 2;
    }
    ScenarioSession session(*loaded.scenario, loaded.source, *config,
                            options.seedGiven ? std::optional<std::uint64_t>(options.seed) : std::nullopt);
    QString error;
    if (!session.start(&error)) {
        std::fprintf(stderr, "tai-console: cannot start: %s\n", qPrintable(error));
        return 1;
    }
    const double speed = options.speed > 0 ? options.speed : ScenarioSession::kMaxSpeed;
    QJsonObject report;
    if (std::isinf(speed) && !options.interactive) {
        report = session.runToEnd();
    } else {
        session.setSpeed(speed);
        // Progress every tenth of the run, on stderr: stdout keeps the summary.
        int shownTenth = -1;
        QObject::connect(&session, &ScenarioSession::advanced, &app, [&](double elapsed) {
            const int tenth = static_cast<int>(elapsed / session.durationS() * 10);
            if (tenth != shownTenth) {
                shownTenth = tenth;
                std::fprintf(stderr, "T+%6.1f s / %.0f s\n", elapsed, session.durationS());
            }
        });
        std::unique_ptr<QSocketNotifier> input;
        if (options.interactive) {
            input = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
            QObject::connect(input.get(), &QSocketNotifier::activated, &app, [&session, &input] {
                char buffer[256];
                const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
                if (n <= 0) {
                    input->setEnabled(false);  // stdin closed: the run goes on at its speed
                    return;
                }
                for (const QString& line :
                     QString::fromUtf8(buffer, n).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                    const QString command = line.trimmed();
                    bool isNumber = false;
                    const double factor = command.toDouble(&isNumber);
                    if (command == u"pause") {
                        session.pause();
                    } else if (command == u"resume") {
                        session.resume();
                    } else if (command == u"step") {
                        session.stepSeconds(1);
                    } else if (command == u"event") {
                        session.stepEvent();
                    } else if (command == u"max") {
                        session.setSpeed(ScenarioSession::kMaxSpeed);
                    } else if (isNumber && factor > 0) {
                        session.setSpeed(factor);
                    } else {
                        std::fprintf(stderr,
                                     "unknown control '%s' (pause, resume, step, event, 1, 10, 100, max)\n",
                                     qPrintable(command));
                        continue;
                    }
                    std::fprintf(stderr, "T+%.1f s: %s\n", session.elapsedS(), qPrintable(command));
                }
            });
        }
        QObject::connect(&session, &ScenarioSession::finished, &app, [&report](const QJsonObject& r) {
            report = r;
            QCoreApplication::quit();
        });
        QCoreApplication::exec();
    }
    printSummary(*loaded.scenario, report);
    if (!options.reportPath.isEmpty()) {
        QSaveFile file(options.reportPath);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(QJsonDocument(report).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
            std::fprintf(stderr, "tai-console: %s: cannot write the report: %s\n",
                         qPrintable(options.reportPath), qPrintable(file.errorString()));
            return 1;
        }
    }
    return 0;
}

}  // namespace tai::app
