#include "base/bounded_file.h"

#include <QFile>

namespace tai {

std::optional<QByteArray> readFileAtMost(const QString& path, qint64 maxBytes, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    // One byte past the limit tells "exactly at the limit" from "over it", also for devices and
    // pipes whose size() is 0.
    QByteArray text = file.read(maxBytes + 1);
    if (text.size() > maxBytes) {
        *error = path +
                 QStringLiteral(": larger than %1 KiB; this is not a file of this kind").arg(maxBytes / 1024);
        return std::nullopt;
    }
    if (file.error() != QFileDevice::NoError) {
        *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    return text;
}

}  // namespace tai
