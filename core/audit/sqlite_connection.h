#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace tai {

// One prepared statement, reset after every use so it never holds a read snapshot open (that would
// stop WAL checkpoints from finishing).
class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3* db, const char* sql, QString* error);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    bool valid() const { return statement_ != nullptr; }

    // Binding is 1-based, as in SQLite. Bound data must outlive the step (SQLITE_STATIC).
    void bind(int index, std::int64_t value);
    void bindText(int index, const QByteArray& utf8);
    void bindText(int index, const QString& text);  // UTF-16, converted by SQLite
    // UTF-8 written into `buffer` first (which must outlive the step): ASCII, the usual case for
    // ids and kinds, is narrowed in place without an allocation per value.
    void bindText(int index, const QString& text, QByteArray& buffer);
    void bindBlob(int index, const QByteArray& bytes);
    void bindNull(int index);

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    // Steps a statement that returns no rows, then resets it. False with `error` set on failure.
    bool run(QString* error);
    void reset();

    std::int64_t integer(int column) const;
    QByteArray bytes(int column) const;  // text or blob, as stored
    QString text(int column) const;
    int type(int column) const;  // SQLITE_INTEGER, SQLITE_TEXT, …
    sqlite3_stmt* handle() const { return statement_; }

private:
    sqlite3_stmt* statement_ = nullptr;
};

// An open sqlite3 handle. The C API is used directly (not Qt SQL) so the writer binds UTF-8 and
// integers without QVariant, keeps its statements prepared, and reads extended error codes.
class SqliteConnection {
public:
    enum class Access { ReadWrite, ReadOnly };

    // `name` is a file path or a "file:" URI (the shared in-memory database).
    static std::optional<SqliteConnection> open(const QString& name, Access access, QString* error);
    ~SqliteConnection();
    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    sqlite3* handle() const { return db_; }
    bool exec(const char* sql, QString* error);
    SqliteStatement prepare(const char* sql, QString* error) const;
    // The first column of the first row, if the statement returns one.
    std::optional<std::int64_t> queryInteger(const char* sql, QString* error) const;
    QString errorText() const;
    int errorCode() const;  // extended

private:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

bool isInMemoryName(const QString& name);

}  // namespace tai
