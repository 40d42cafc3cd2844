#include "fault_spec.h"

#include <QStringList>

namespace tai::app {

std::optional<GatewayFault> parseFaultSpec(const QString& spec, QString* error) {
    GatewayFault fault;
    if (spec == u"none") {
        return fault;
    }
    for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1).trimmed();
        bool ok = true;
        if (key == u"down" && value.isEmpty()) {
            fault.down = true;
        } else if (key == u"error" || key == u"timeout") {
            const double rate = value.toDouble(&ok);
            ok = ok && rate >= 0 && rate <= 1;
            (key == u"error" ? fault.errorRate : fault.timeoutRate) = rate;
        } else if (key == u"latency" || key == u"jitter") {
            const int ms = value.toInt(&ok);
            ok = ok && ms >= 0 && ms <= 600'000;
            (key == u"latency" ? fault.latencyMs : fault.jitterMs) = ms;
        } else {
            *error = QStringLiteral(
                         "--fault: unknown part '%1' (use down, error=R, timeout=R, latency=MS, jitter=MS)")
                         .arg(part);
            return std::nullopt;
        }
        if (!ok) {
            *error =
                QStringLiteral("--fault: bad value in '%1' (rates 0..1, milliseconds 0..600000)").arg(part);
            return std::nullopt;
        }
    }
    return fault;
}

std::optional<InfraFault> parseInfraFaultSpec(const QString& spec, QString* error) {
    InfraFault fault;
    for (const QString& part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1).trimmed();
        bool ok = !value.isEmpty();
        if (key == u"region") {
            fault.region = value;
        } else if (key == u"version") {
            fault.version = value;
        } else if (key == u"error" || key == u"actions") {
            const double rate = value.toDouble(&ok);
            ok = ok && rate >= 0 && rate <= 1;
            (key == u"error" ? fault.errorRate : fault.actionFailureRate) = rate;
        } else if (key == u"p99" || key == u"capacity") {
            const int n = value.toInt(&ok);
            ok = ok && n >= 0;
            (key == u"p99" ? fault.p99Ms : fault.capacity) = n;
        } else {
            *error = QStringLiteral(
                         "--infra-fault: unknown part '%1' (use region=, version=, error=, p99=, actions=, "
                         "capacity=)")
                         .arg(part);
            return std::nullopt;
        }
        if (!ok) {
            *error = QStringLiteral("--infra-fault: bad value in '%1'").arg(part);
            return std::nullopt;
        }
    }
    if (fault.region.isEmpty()) {
        *error = QStringLiteral("--infra-fault: region= is required");
        return std::nullopt;
    }
    return fault;
}

}  // namespace tai::app
