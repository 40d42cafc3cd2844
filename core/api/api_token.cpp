#include "api/api_token.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

namespace tai {

ApiToken loadApiToken(const QString& directory, bool create, QString* error) {
    ApiToken token;
    token.path = QDir(directory).filePath(QStringLiteral("api-token"));
    QFile file(token.path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = token.path + QStringLiteral(": cannot read: ") + file.errorString();
            return token;
        }
        token.value = QString::fromLatin1(file.readAll().trimmed());
        if (token.value.size() < 32) {
            *error = token.path + QStringLiteral(": the token must be at least 32 characters");
            token.value.clear();
        }
        return token;
    }
    if (!create) {
        *error = token.path + QStringLiteral(": no token file");
        return token;
    }
    if (!QDir().mkpath(directory)) {
        *error = directory + QStringLiteral(": cannot create the data directory");
        return token;
    }
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(bytes.data()),
                                         reinterpret_cast<quint32*>(bytes.data() + bytes.size()));
    const QByteArray value = bytes.toHex();
    // Create with owner-only permissions before writing, so the secret is never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(value + '\n') != value.size() + 1) {
        *error = token.path + QStringLiteral(": cannot write: ") + file.errorString();
        return token;
    }
    token.value = QString::fromLatin1(value);
    token.created = true;
    return token;
}

}  // namespace tai
