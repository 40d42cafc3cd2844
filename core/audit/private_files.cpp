#include "audit/private_files.h"

#include <QDir>
#include <QFileInfo>

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace tai {

namespace {
QString systemError() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool tighten(const QByteArray& path, mode_t wanted, const char* what, QString* error) {
    struct stat info {};
    if (::stat(path.constData(), &info) != 0) {
        *error = QString::fromLocal8Bit(path) + QStringLiteral(": ") + systemError();
        return false;
    }
    const mode_t mode = info.st_mode & 07777;
    if ((mode & 077) == 0) {
        return true;
    }
    if (::chmod(path.constData(), wanted) != 0) {
        *error = QString::fromLocal8Bit(path) + QStringLiteral(": cannot make it private: ") + systemError();
        return false;
    }
    spdlog::warn("audit store: {} {} was {:04o}, readable by others; now {:04o}", what, path.constData(),
                 mode, wanted);
    return true;
}
}  // namespace

bool ensurePrivateDirectory(const QString& dir, QString* error) {
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    const QByteArray path = QFile::encodeName(absolute);
    if (!QFileInfo::exists(absolute)) {
        const QString parent = QFileInfo(absolute).absolutePath();
        if (!QDir().mkpath(parent)) {
            *error = QStringLiteral("cannot create %1").arg(parent);
            return false;
        }
        if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST) {
            *error = QStringLiteral("cannot create %1: %2").arg(absolute, systemError());
            return false;
        }
    }
    return tighten(path, 0700, "data dir", error);
}

bool ensurePrivateFile(const QString& file, bool create, QString* error) {
    const QByteArray path = QFile::encodeName(file);
    if (create) {
        // O_EXCL: only a file this call creates gets its mode from here; umask can only narrow 0600.
        const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        if (errno != EEXIST) {
            *error = QStringLiteral("cannot create %1: %2").arg(file, systemError());
            return false;
        }
    } else if (!QFileInfo::exists(file)) {
        return true;
    }
    return tighten(path, 0600, "file", error);
}

}  // namespace tai
