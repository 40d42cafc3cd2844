#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <variant>

namespace tai {

struct SignalError;

// A deployment request (DESIGN.md §5.1).
struct DeploymentSignal {
    QString id;  // generated when absent
    QString service;
    QString version;
    QStringList regions;  // empty: the configured order
    QString requestedBy;
    bool initial = false;  // a first deployment: no previous stable version is needed
};

using ParsedDeployment = std::variant<DeploymentSignal, struct DeploymentError>;

struct DeploymentError {
    QString field;
    QString message;
    QString text() const { return field.isEmpty() ? message : field + QStringLiteral(": ") + message; }
};

// Validates a deployment object. `knownRegions` is the configured region list.
ParsedDeployment parseDeploymentSignal(const QJsonObject& object, const QStringList& knownRegions);

}  // namespace tai
