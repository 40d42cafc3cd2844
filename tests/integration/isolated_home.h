#pragma once

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

// A home of its own for a tai-console the test starts, so that nothing it writes (the data
// dir, the token, window settings) lands in the real home, and nothing there changes the run.
class IsolatedHome {
public:
    IsolatedHome() {
        for (const char* dir : {".local/share", ".config", ".cache", ".local/state"}) {
            QDir(home_.path()).mkpath(QString::fromLatin1(dir));
        }
    }
    QString path() const { return home_.path(); }
    QString dataHome() const { return home_.filePath(QStringLiteral(".local/share")); }

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home_.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home_.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home_.filePath(QStringLiteral(".cache")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), home_.filePath(QStringLiteral(".local/state")));
        return env;
    }
    void applyTo(QProcess& process) const { process.setProcessEnvironment(environment()); }

private:
    QTemporaryDir home_;
};
