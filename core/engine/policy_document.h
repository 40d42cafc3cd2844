#pragma once

#include "andon/andon_config.h"
#include "deployments/deployments_config.h"
#include "payments/payments_config.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace tai {

// A loaded, versioned policy file (§9.1).
struct PolicyDocument {
    QString version = QStringLiteral("builtin-default");
    PaymentsConfig payments;
    DeploymentsConfig deployments;
    AndonConfig andon;
};

struct PolicyLoadResult {
    PolicyDocument policy;
    QStringList errors;  // each names its key path; empty means loaded
    bool ok() const { return errors.isEmpty(); }
};

PolicyLoadResult parsePolicy(const QByteArray& json);
PolicyLoadResult loadPolicyFile(const QString& path);

}  // namespace tai
