#pragma once

#include <QString>

namespace tai {

// The control API's bearer token: generated at first start and kept in `directory`/api-token
// with mode 0600 (§10.2).
struct ApiToken {
    QString value;
    QString path;
    bool created = false;
    bool readableByOthers = false;  // group or other may read or write it (refused beyond loopback)
};

// Reads the token, creating it when `create` is set and there is none. Empty value on error.
// `create` is false beyond loopback: then a token file others can read is refused too.
ApiToken loadApiToken(const QString& directory, bool create, QString* error);

}  // namespace tai
