#include "api/process_metrics.h"

#include <QDir>
#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

#include <optional>

namespace tai {

namespace {

QByteArray readProcFile(const char* path) {
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll();  // /proc files say size 0; readAll reads to the end regardless
}

// The fields of /proc/self/stat after "(comm)", which may itself hold spaces and parentheses.
QList<QByteArray> statFields() {
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0) {
        return {};
    }
    return stat.mid(close + 2).trimmed().split(' ');
}

std::optional<double> bootTimeSeconds() {
    for (const QByteArray& line : readProcFile("/proc/stat").split('\n')) {
        if (line.startsWith("btime ")) {
            bool ok = false;
            const double btime = line.mid(6).trimmed().toDouble(&ok);
            if (ok) {
                return btime;
            }
        }
    }
    return std::nullopt;
}

void sample(QByteArray& out, const char* name, const char* type, const char* help, double value) {
    out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
    out += QByteArray(name) + ' ' + QByteArray::number(value, 'g', 15) + '\n';
}

}  // namespace

QByteArray processMetricsText() {
    QByteArray out;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double pageSize = static_cast<double>(sysconf(_SC_PAGESIZE));
    // Fields 14, 15, 22, 23 and 24 of proc(5), counted from 0 after the command name (field 3).
    const QList<QByteArray> fields = statFields();
    if (fields.size() > 21 && ticks > 0) {
        const double utime = fields.at(11).toDouble();
        const double stime = fields.at(12).toDouble();
        sample(out, "process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.", (utime + stime) / ticks);
        sample(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
               fields.at(21).toDouble() * pageSize);
        sample(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
               fields.at(20).toDouble());
        if (const auto boot = bootTimeSeconds()) {
            sample(out, "process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.",
                   *boot + fields.at(19).toDouble() / ticks);
        }
    }
    const QDir fds(QStringLiteral("/proc/self/fd"));
    if (fds.exists()) {
        sample(out, "process_open_fds", "gauge", "Number of open file descriptors.",
               static_cast<double>(
                   fds.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size()));
    }
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        sample(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
               static_cast<double>(limit.rlim_cur));
    }
    return out;
}

}  // namespace tai
