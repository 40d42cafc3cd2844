// The bare sqlite3 loop beside the durable pipeline (issue 16): the same rows into the same schema
// with the same durability, and nothing else, so durable ÷ bare is the store's own overhead.
#include "bench_rigs.h"

#include "audit/audit_schema.h"

#include <QFile>

#include <sqlite3.h>

#include <chrono>
#include <cstdio>

namespace tai::app {

namespace {

struct Utf8Row {
    std::int64_t atMs = 0;
    QByteArray traceId;
    QByteArray kind;
    QByteArray subject;
    QByteArray payload;
};

bool exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::fprintf(stderr, "bench: sqlite3: %s: %s\n", sql, message ? message : sqlite3_errmsg(db));
        sqlite3_free(message);
        return false;
    }
    return true;
}

}  // namespace

double measureSqliteBare(const std::vector<AuditRow>& rows, const std::string& directory, double seconds) {
    using Wall = std::chrono::steady_clock;
    if (rows.empty()) {
        return 0;
    }
    // Converted before the clock starts: the loop measures SQLite and the disk, nothing of ours.
    std::vector<Utf8Row> utf8;
    utf8.reserve(rows.size());
    for (const AuditRow& row : rows) {
        utf8.push_back(
            Utf8Row{row.atMs, row.traceId.toUtf8(), row.kind.toUtf8(), row.subject.toUtf8(), row.payload});
    }
    const QString path = QString::fromStdString(directory) + QStringLiteral("/bench-bare.db");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        QFile::remove(path + QLatin1String(suffix));
    }
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    const QByteArray pageSize = "PRAGMA page_size=" + QByteArray::number(AuditSchema::kPageSize);
    bool ok = exec(db, pageSize.constData()) && exec(db, "PRAGMA journal_mode=WAL") &&
              exec(db, "PRAGMA synchronous=FULL");
    for (const char* sql : AuditSchema::createStatements()) {
        ok = ok && exec(db, sql);
    }
    ok = ok && exec(db, "INSERT INTO policy_versions (id, version) VALUES (1, 'bench')");
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* begin = nullptr;
    sqlite3_stmt* commit = nullptr;
    ok = ok && sqlite3_prepare_v2(db, AuditSchema::kInsertEvent, -1, &insert, nullptr) == SQLITE_OK &&
         sqlite3_prepare_v2(db, "BEGIN", -1, &begin, nullptr) == SQLITE_OK &&
         sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr) == SQLITE_OK;
    std::int64_t seq = 0;
    const auto start = Wall::now();
    double elapsed = 0;
    while (ok && elapsed < seconds) {
        sqlite3_step(begin);
        sqlite3_reset(begin);
        for (int i = 0; i < 1000 && ok; ++i) {  // AuditStore::kBatchRows
            const Utf8Row& row = utf8[static_cast<std::size_t>(seq) % utf8.size()];
            sqlite3_bind_int64(insert, 1, ++seq);
            sqlite3_bind_int64(insert, 2, row.atMs);
            sqlite3_bind_text(insert, 3, row.traceId.constData(), static_cast<int>(row.traceId.size()),
                              SQLITE_STATIC);
            sqlite3_bind_text(insert, 4, row.kind.constData(), static_cast<int>(row.kind.size()),
                              SQLITE_STATIC);
            sqlite3_bind_text(insert, 5, row.subject.constData(), static_cast<int>(row.subject.size()),
                              SQLITE_STATIC);
            sqlite3_bind_text(insert, 6, row.payload.constData(), static_cast<int>(row.payload.size()),
                              SQLITE_STATIC);
            sqlite3_bind_int64(insert, 7, 1);
            ok = sqlite3_step(insert) == SQLITE_DONE;
            sqlite3_reset(insert);
        }
        ok = ok && sqlite3_step(commit) == SQLITE_DONE;
        sqlite3_reset(commit);
        elapsed = std::chrono::duration<double>(Wall::now() - start).count();
    }
    if (!ok) {
        std::fprintf(stderr, "bench: sqlite3 bare loop failed: %s\n", sqlite3_errmsg(db));
    }
    sqlite3_finalize(insert);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"}) {
        QFile::remove(path + QLatin1String(suffix));
    }
    return ok && elapsed > 0 ? static_cast<double>(seq) / elapsed : 0;
}

}  // namespace tai::app
