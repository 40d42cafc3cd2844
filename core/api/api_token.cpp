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
        // The token guards the control endpoints: beyond loopback, a copy other local users can
        // read (or write) is no secret. On loopback the read-only endpoints are open anyway,
        // and the start-up log says to tighten it.
        constexpr auto kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
                                 QFileDevice::WriteOther;
        if ((file.permissions() & kOthers) != 0) {
            token.readableByOthers = true;
            if (!create) {
                *error = token.path + QStringLiteral(
                                          ": readable or writable by other users; make it private "
                                          "(chmod 600 %1) before listening beyond loopback")
                                          .arg(token.path);
                return token;
            }
        }
        token.value = QString::fromLatin1(file.read(4096).trimmed());
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
    // Created with owner-only permissions (not chmod'ed after), so it is never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(value + '\n') != value.size() + 1) {
        *error = token.path + QStringLiteral(": cannot write: ") + file.errorString();
        return token;
    }
    token.value = QString::fromLatin1(value);
    token.created = true;
    return token;
}

}  // namespace tai
