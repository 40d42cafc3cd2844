// --help, rendered from the parser's own description (CliParser): every option it accepts is
// listed, in groups, with the text it was declared with. The man page is generated from this
// output by help2man, so section headings end in a colon and option lines start with a dash.
#include "cli.h"

#include "cli_parser.h"

namespace tai::app {

namespace {

constexpr qsizetype kNameColumn = 26;
constexpr qsizetype kWidth = 100;

// Word-wraps `text` to kWidth, every line indented to the description column.
QString wrapped(const QString& text) {
    QString out;
    qsizetype column = kNameColumn;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (column > kNameColumn && column + 1 + word.size() > kWidth) {
            out += QLatin1Char('\n') + QString(kNameColumn, QLatin1Char(' '));
            column = kNameColumn;
        } else if (column > kNameColumn) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += word;
        column += word.size();
    }
    return out;
}

QString entry(const QString& name, const QString& description) {
    QString line = QStringLiteral("  ") + name;
    if (line.size() + 2 > kNameColumn) {
        line += QLatin1Char('\n') + QString(kNameColumn, QLatin1Char(' '));  // long names: text below
    } else {
        line += QString(kNameColumn - line.size(), QLatin1Char(' '));
    }
    return line + wrapped(description) + QLatin1Char('\n');
}

QString optionName(const CLI::Option& option) {
    QString name =
        QString::fromStdString(option.get_name(false, true)).replace(QLatin1Char(','), QStringLiteral(", "));
    const std::string type = option.get_type_name();
    if (!type.empty() && option.get_expected_min() > 0) {
        name += QLatin1Char(' ') + QString::fromStdString(type);
    }
    return name;
}

QString group(const CLI::App& app, const char* group, const QString& heading = {}) {
    QString out = (heading.isEmpty() ? QString::fromLatin1(group) : heading) + QStringLiteral(":\n");
    for (const CLI::Option* option : app.get_options()) {
        if (option->nonpositional() && option->get_group() == group) {
            out += entry(optionName(*option), QString::fromStdString(option->get_description()));
        }
    }
    return out + QLatin1Char('\n');
}

QString command(const QString& synopsis, const CLI::App& app) {
    return entry(synopsis, QString::fromStdString(app.get_description()));
}

}  // namespace

QString helpText() {
    CliOptions scratch;
    const CliParser p(scratch);
    QString out = QStringLiteral("TAI Console " TAI_VERSION
                                 ": resilience engine and operations console\n"
                                 "\n"
                                 "Usage: tai-console [OPTIONS]\n"
                                 "  or:  tai-console --headless [OPTIONS]\n"
                                 "  or:  tai-console --scenario NAME|FILE [--speed X] [OPTIONS]\n"
                                 "  or:  tai-console replay --input FILE --output FILE [OPTIONS]\n"
                                 "  or:  tai-console audit export --output FILE [FILTERS] [--data-dir DIR]\n"
                                 "  or:  tai-console audit recover [--data-dir DIR]   (or --recover-audit)\n"
                                 "  or:  tai-console bench [--seconds N] [--soak-seconds N] [--json]\n"
                                 "  or:  tai-console scenario list\n"
                                 "  or:  tai-console scenario run NAME|FILE [--speed X] [--report FILE] "
                                 "[--interactive] [OPTIONS]\n"
                                 "\n"
                                 "Without a command, the console opens on the built-in demo load (generated "
                                 "payments at 200/s,\n"
                                 "1 % fraudsters) and serves the HTTP API on 127.0.0.1:8080. Options take "
                                 "their value as\n"
                                 "--option VALUE or --option=VALUE. Logs go to stderr; results (summaries, "
                                 "tables, JSON) to stdout.\n"
                                 "\n"
                                 "Commands:\n");
    out += command(QStringLiteral("replay"), *p.replay);
    out += command(QStringLiteral("audit export"), *p.auditExport);
    out += command(QStringLiteral("audit recover"), *p.auditRecover);
    out += command(QStringLiteral("bench"), *p.bench);
    out += command(QStringLiteral("scenario list"), *p.scenarioList);
    out += command(QStringLiteral("scenario run NAME|FILE"), *p.scenarioRun);
    out += QLatin1Char('\n');
    for (const char* name : {CliParser::kEngineGroup, CliParser::kDurabilityGroup, CliParser::kApiGroup,
                             CliParser::kAlertingGroup, CliParser::kTracingGroup, CliParser::kHeadlessGroup,
                             CliParser::kConsoleGroup}) {
        out += group(p.app, name);
    }
    out += group(*p.replay, "Replay options", QStringLiteral("Replay options (replay)"));
    out +=
        group(*p.auditExport, "Audit export options", QStringLiteral("Audit export options (audit export)"));
    out += group(*p.bench, "Bench options", QStringLiteral("Bench options (bench)"));
    out +=
        group(*p.scenarioRun, "Scenario run options", QStringLiteral("Scenario run options (scenario run)"));
    out += group(p.app, CliParser::kGeneralGroup);
    out += QStringLiteral(
        "Files:\n"
        "  ~/.local/share/tai-console/audit.sqlite\n"
        "                          the durable audit trail of --headless (SQLite, WAL); the directory\n"
        "                          follows $XDG_DATA_HOME when it is set\n"
        "  ~/.local/share/tai-console/api-token\n"
        "                          the bearer token of the HTTP control endpoints (mode 0600)\n"
        "\n"
        "Exit status:\n"
        "  0                       success\n"
        "  1                       runtime failure (unreadable input, an address in use, an audit\n"
        "                          database that cannot be trusted: see audit recover, ...)\n"
        "  2                       bad command line or bad policy file\n"
        "  3                       bench counters that do not reconcile\n"
        "  4                       a scenario file that does not validate\n");
    return out;
}

}  // namespace tai::app
