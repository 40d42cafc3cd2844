#include "api/openapi_document.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace tai {

QByteArray openApiDocument() {
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/api/openapi.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            return QByteArray();
        }
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        QJsonObject info = root.value(QStringLiteral("info")).toObject();
        info.insert(QStringLiteral("version"), QStringLiteral(TAI_VERSION));
        root.insert(QStringLiteral("info"), info);
        return QJsonDocument(root).toJson(QJsonDocument::Compact);
    }();
    return document;
}

}  // namespace tai
