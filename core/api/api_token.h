#pragma once

#include <QString>

namespace tai {

// The control API's bearer token: generated at first start and kept in `directory`/api-token
// with mode 0600 (§10.2).
struct ApiToken {
    QString value;
    QString path;
    bool created = false;
};

// Reads the token, creating it when `create` is set and there is none. Empty value on error.
ApiToken loadApiToken(const QString& directory, bool create, QString* error);

}  // namespace tai
