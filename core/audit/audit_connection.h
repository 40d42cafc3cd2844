#pragma once

// Internal to the audit store's translation units.

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QUuid>

namespace tai {

inline constexpr std::int64_t kAuditDayMs = 24LL * 3600 * 1000;

// One named connection per use (Qt SQL connections belong to one thread), closed and removed
// when it goes out of scope.
class AuditConnection {
public:
    AuditConnection(const QString& database, const QString& role)
        : name_(role + QUuid::createUuid().toString(QUuid::Id128)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name_);
        db.setDatabaseName(database);
        if (database.startsWith(QStringLiteral("file:"))) {
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=5000"));
        } else {
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        }
        ok_ = db.open();
        error_ = db.lastError().text();
    }
    ~AuditConnection() {
        {
            QSqlDatabase db = QSqlDatabase::database(name_, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name_);
    }
    AuditConnection(const AuditConnection&) = delete;
    AuditConnection& operator=(const AuditConnection&) = delete;
    QSqlDatabase db() const { return QSqlDatabase::database(name_, false); }
    bool ok() const { return ok_; }
    QString error() const { return error_; }

private:
    QString name_;
    bool ok_ = false;
    QString error_;
};

}  // namespace tai
