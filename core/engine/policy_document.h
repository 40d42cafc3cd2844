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

// A policy file is a few KiB; anything past this is not one (and is never read whole).
inline constexpr qint64 kMaxPolicyBytes = 1024 * 1024;
inline constexpr qsizetype kMaxPolicyVersionChars = 128;

PolicyLoadResult parsePolicy(const QByteArray& json);
// The file at `path`, at most kMaxPolicyBytes; errors are prefixed with the path.
PolicyLoadResult loadPolicyFile(const QString& path);

}  // namespace tai
