#pragma once

// Test support: a plain sqlite3 connection for looking at (and damaging) an audit database from
// outside the store.
#include <QByteArray>
#include <QString>
#include <QtTest>

#include <sqlite3.h>

class RawDatabase {
public:
    explicit RawDatabase(const QString& path) {
        if (sqlite3_open_v2(path.toUtf8().constData(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            qWarning("cannot open %s: %s", qPrintable(path), sqlite3_errmsg(db_));
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawDatabase() { sqlite3_close_v2(db_); }
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    // Runs `sql`; false (with a warning naming the error) when it fails.
    bool exec(const QByteArray& sql) {
        char* message = nullptr;
        if (sqlite3_exec(db_, sql.constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            qWarning("%s: %s", sql.constData(), message ? message : sqlite3_errmsg(db_));
            sqlite3_free(message);
            return false;
        }
        return true;
    }
    long long integer(const QByteArray& sql) {
        sqlite3_stmt* statement = nullptr;
        long long value = -1;
        if (sqlite3_prepare_v2(db_, sql.constData(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            value = sqlite3_column_int64(statement, 0);
        } else {
            qWarning("%s: %s", sql.constData(), sqlite3_errmsg(db_));
        }
        sqlite3_finalize(statement);
        return value;
    }
    QByteArray text(const QByteArray& sql) {
        sqlite3_stmt* statement = nullptr;
        QByteArray value;
        if (sqlite3_prepare_v2(db_, sql.constData(), -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            value = QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                               sqlite3_column_bytes(statement, 0));
        }
        sqlite3_finalize(statement);
        return value;
    }
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};
