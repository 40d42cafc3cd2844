#include "deployments/deployment_signal.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tai {

namespace {
bool isName(const QString& s) {
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    return pattern.match(s).hasMatch();
}
}  // namespace

ParsedDeployment parseDeploymentSignal(const QJsonObject& o, const QStringList& knownRegions) {
    DeploymentSignal s;
    const QJsonValue id = o.value(QStringLiteral("id"));
    if (!id.isUndefined() && !id.isNull()) {
        if (!id.isString() || id.toString().isEmpty() || id.toString().size() > 64) {
            return DeploymentError{QStringLiteral("id"),
                                   QStringLiteral("must be a string of 1-64 characters")};
        }
        s.id = id.toString();
    }
    const QJsonValue service = o.value(QStringLiteral("service"));
    if (service.isUndefined() || service.isNull()) {
        return DeploymentError{QStringLiteral("service"), QStringLiteral("required")};
    }
    if (!service.isString() || !isName(service.toString())) {
        return DeploymentError{
            QStringLiteral("service"),
            QStringLiteral(
                "must be 1-64 lowercase letters, digits and '-', starting with a letter or digit")};
    }
    s.service = service.toString();
    const QJsonValue version = o.value(QStringLiteral("version"));
    if (version.isUndefined() || version.isNull()) {
        return DeploymentError{QStringLiteral("version"), QStringLiteral("required")};
    }
    if (!version.isString() || version.toString().isEmpty() || version.toString().size() > 64 ||
        version.toString().contains(QLatin1Char(' '))) {
        return DeploymentError{QStringLiteral("version"),
                               QStringLiteral("must be a string of 1-64 characters without spaces")};
    }
    s.version = version.toString();
    const QJsonValue regions = o.value(QStringLiteral("regions"));
    if (!regions.isUndefined() && !regions.isNull()) {
        if (!regions.isArray() || regions.toArray().isEmpty()) {
            return DeploymentError{QStringLiteral("regions"),
                                   QStringLiteral("must be a non-empty array of region names")};
        }
        const QJsonArray list = regions.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString region = list.at(i).toString();
            const QString field = QStringLiteral("regions[%1]").arg(i);
            if (!list.at(i).isString() || !knownRegions.contains(region)) {
                return DeploymentError{field, QStringLiteral("unknown region '%1' (known: %2)")
                                                  .arg(list.at(i).isString() ? region : QStringLiteral("?"),
                                                       knownRegions.join(QStringLiteral(", ")))};
            }
            if (s.regions.contains(region)) {
                return DeploymentError{field, QStringLiteral("region '%1' is listed twice").arg(region)};
            }
            s.regions << region;
        }
    }
    const QJsonValue by = o.value(QStringLiteral("requested_by"));
    if (!by.isUndefined() && !by.isNull()) {
        if (!by.isString() || by.toString().size() > 64) {
            return DeploymentError{QStringLiteral("requested_by"),
                                   QStringLiteral("must be a string of at most 64 characters")};
        }
        s.requestedBy = by.toString();
    }
    const QJsonValue initial = o.value(QStringLiteral("initial"));
    if (!initial.isUndefined() && !initial.isNull()) {
        if (!initial.isBool()) {
            return DeploymentError{QStringLiteral("initial"), QStringLiteral("must be true or false")};
        }
        s.initial = initial.toBool();
    }
    return s;
}

}  // namespace tai
