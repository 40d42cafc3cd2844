#include "audit/sqlite_connection.h"

#include "audit/sqlite_thread_guard.h"

#include <sqlite3.h>

#include <utility>

namespace tai {

namespace {
QString describe(sqlite3* db) {
    return QString::fromUtf8(sqlite3_errmsg(db)) +
           QStringLiteral(" (SQLite code %1)").arg(sqlite3_extended_errcode(db));
}
}  // namespace

bool isInMemoryName(const QString& name) {
    return name.startsWith(QStringLiteral("file:"));
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql, QString* error) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement_, nullptr) != SQLITE_OK) {
        if (error) {
            *error = describe(db);
        }
        sqlite3_finalize(statement_);
        statement_ = nullptr;
    }
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(statement_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(statement_);
        statement_ = std::exchange(other.statement_, nullptr);
    }
    return *this;
}

void SqliteStatement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
}

void SqliteStatement::bindText(int index, const QByteArray& utf8) {
    sqlite3_bind_text(statement_, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindText(int index, const QString& text) {
    // constData(), not utf16(): the length is given, so no terminating NUL (and no detach) is needed.
    sqlite3_bind_text16(statement_, index,
                        text.isEmpty() ? u"" : reinterpret_cast<const char16_t*>(text.constData()),
                        static_cast<int>(text.size() * 2), SQLITE_STATIC);
}

void SqliteStatement::bindText(int index, const QString& text, QByteArray& buffer) {
    const qsizetype size = text.size();
    buffer.resize(size);
    const char16_t* from = reinterpret_cast<const char16_t*>(text.constData());
    char* to = buffer.data();
    char16_t all = 0;
    for (qsizetype i = 0; i < size; ++i) {
        all |= from[i];
        to[i] = static_cast<char>(from[i]);
    }
    if (all >= 0x80) {
        buffer = text.toUtf8();
    }
    sqlite3_bind_text(statement_, index, size == 0 ? "" : buffer.constData(), static_cast<int>(buffer.size()),
                      SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int index, const QByteArray& bytes) {
    // A zero-length blob is still a blob, not NULL: the NOT NULL columns must accept it.
    sqlite3_bind_blob(statement_, index, bytes.isEmpty() ? "" : bytes.constData(),
                      static_cast<int>(bytes.size()), SQLITE_STATIC);
}

void SqliteStatement::bindNull(int index) {
    sqlite3_bind_null(statement_, index);
}

int SqliteStatement::step() {
    return sqlite3_step(statement_);
}

bool SqliteStatement::run(QString* error) {
    const int rc = sqlite3_step(statement_);
    const bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (!ok && error) {
        *error = describe(sqlite3_db_handle(statement_));
    }
    reset();
    return ok;
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

QByteArray SqliteStatement::bytes(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return QByteArray(data, sqlite3_column_bytes(statement_, column));
}

QString SqliteStatement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(statement_, column));
}

int SqliteStatement::type(int column) const {
    return sqlite3_column_type(statement_, column);
}

std::optional<SqliteConnection> SqliteConnection::open(const QString& name, Access access, QString* error) {
    SqliteThreadGuard::check("open");
    int flags =
        access == Access::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    // Each connection belongs to one thread at a time; the library's own mutexes are not needed.
    flags |= SQLITE_OPEN_NOMUTEX;
    if (isInMemoryName(name)) {
        flags |= SQLITE_OPEN_URI;
    }
    sqlite3* db = nullptr;
    const QByteArray encoded = name.toUtf8();
    if (sqlite3_open_v2(encoded.constData(), &db, flags, nullptr) != SQLITE_OK) {
        if (error) {
            *error = db != nullptr ? describe(db) : QStringLiteral("out of memory");
        }
        sqlite3_close_v2(db);
        return std::nullopt;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    // The file may be damaged or hostile: no trust in what its schema says, no writes to it
    // through the back doors (writable_schema and friends).
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    return SqliteConnection(db);
}

SqliteConnection::~SqliteConnection() {
    sqlite3_close_v2(db_);
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

bool SqliteConnection::exec(const char* sql, QString* error) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        if (error) {
            *error = QString::fromUtf8(message ? message : sqlite3_errmsg(db_)) +
                     QStringLiteral(" (SQLite code %1)").arg(sqlite3_extended_errcode(db_));
        }
        sqlite3_free(message);
        return false;
    }
    return true;
}

SqliteStatement SqliteConnection::prepare(const char* sql, QString* error) const {
    return SqliteStatement(db_, sql, error);
}

std::optional<std::int64_t> SqliteConnection::queryInteger(const char* sql, QString* error) const {
    SqliteStatement statement = prepare(sql, error);
    if (!statement.valid()) {
        return std::nullopt;
    }
    const int rc = statement.step();
    if (rc == SQLITE_ROW) {
        return statement.integer(0);
    }
    if (rc != SQLITE_DONE && error) {
        *error = describe(db_);
    }
    return std::nullopt;
}

QString SqliteConnection::errorText() const {
    return describe(db_);
}

int SqliteConnection::errorCode() const {
    return sqlite3_extended_errcode(db_);
}

}  // namespace tai
