// The read side of the audit store: each call opens its own read-only connection on the calling
// thread, which WAL lets run beside the writer.
#include "audit/audit_schema.h"
#include "audit/audit_store.h"
#include "audit/sqlite_connection.h"
#include "audit/sqlite_thread_guard.h"

#include <sqlite3.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <variant>

namespace tai {

namespace {

using Value = std::variant<std::int64_t, QByteArray>;

std::optional<SqliteConnection> readConnection(const QString& name, QString* error) {
    auto db = SqliteConnection::open(name, SqliteConnection::Access::ReadOnly, error);
    if (db && isInMemoryName(name)) {
        db->exec("PRAGMA read_uncommitted=1", nullptr);  // shared cache: do not wait on the writer's lock
    }
    return db;
}

int stepRetrying(SqliteStatement& statement) {
    int rc = statement.step();
    for (int attempt = 0; rc == SQLITE_LOCKED_SHAREDCACHE && attempt < 1000; ++attempt) {
        sqlite3_reset(statement.handle());
        rc = statement.step();
    }
    return rc;
}

std::optional<std::int64_t> seqBound(SqliteConnection& db, const char* sql, std::int64_t minute) {
    QString ignored;
    SqliteStatement bound = db.prepare(sql, &ignored);
    if (!bound.valid()) {
        return std::nullopt;
    }
    bound.bind(1, minute);
    if (stepRetrying(bound) == SQLITE_ROW && bound.type(0) == SQLITE_INTEGER) {
        return bound.integer(0);
    }
    return std::nullopt;
}

// The WHERE clause for `q`. Time ranges become sequence ranges through audit_minutes first, so a
// window of the trail is read without an index on time. False when the window holds nothing.
bool buildFilter(SqliteConnection& db, QByteArray& sql, std::vector<Value>& values, const AuditQuery& q) {
    sql += " WHERE e.seq > ?";
    values.emplace_back(q.afterSeq);
    if (q.fromMs) {
        const auto low =
            seqBound(db, "SELECT MIN(first_seq) FROM audit_minutes WHERE minute >= ?", minuteOf(*q.fromMs));
        if (!low) {
            return false;
        }
        sql += " AND e.seq >= ?";
        values.emplace_back(*low);
        sql += " AND e.at_ms >= ?";
        values.emplace_back(*q.fromMs);
    }
    if (q.toMs) {
        const auto high =
            seqBound(db, "SELECT MAX(last_seq) FROM audit_minutes WHERE minute <= ?", minuteOf(*q.toMs));
        if (!high) {
            return false;
        }
        sql += " AND e.seq <= ?";
        values.emplace_back(*high);
        sql += " AND e.at_ms <= ?";
        values.emplace_back(*q.toMs);
    }
    if (!q.kinds.isEmpty()) {
        sql += " AND e.kind IN (";
        for (qsizetype i = 0; i < q.kinds.size(); ++i) {
            sql += i == 0 ? "?" : ", ?";
            values.emplace_back(q.kinds.at(i).toUtf8());
        }
        sql += ')';
        if (!q.kinds.contains(QStringLiteral("decision"))) {
            // Spelled as in the partial indexes, so SQLite may use them: decisions are not indexed.
            sql += " AND e.kind <> 'decision'";
        }
    }
    if (!q.subject.isEmpty()) {
        sql += " AND e.subject = ?";
        values.emplace_back(q.subject.toUtf8());
    }
    if (!q.traceId.isEmpty()) {
        sql += " AND e.trace_id = ?";
        values.emplace_back(q.traceId.toUtf8());
    }
    return true;
}

}  // namespace

std::vector<std::pair<QString, QByteArray>> AuditStore::loadRollouts() const {
    SqliteThreadGuard::check("load rollouts");
    std::vector<std::pair<QString, QByteArray>> rows;
    QString error;
    auto db = readConnection(databaseName_, &error);
    if (!db) {
        return rows;
    }
    SqliteStatement select = db->prepare("SELECT status, state FROM rollouts ORDER BY rowid", &error);
    while (select.valid() && stepRetrying(select) == SQLITE_ROW) {
        rows.emplace_back(select.text(0), select.bytes(1));
    }
    return rows;
}

std::int64_t AuditStore::storedKeyCount() const {
    SqliteThreadGuard::check("count keys");
    QString error;
    auto db = readConnection(databaseName_, &error);
    if (!db) {
        return -1;
    }
    return db->queryInteger("SELECT COUNT(*) FROM idempotency", &error).value_or(-1);
}

std::vector<AuditRecord> AuditStore::query(const AuditQuery& query, QString* error) const {
    SqliteThreadGuard::check("audit query");
    std::vector<AuditRecord> records;
    QString problem;
    auto db = readConnection(databaseName_, &problem);
    if (!db) {
        if (error) {
            *error = problem;
        }
        return records;
    }
    QByteArray sql =
        "SELECT e.seq, e.at_ms, e.trace_id, e.kind, e.subject, e.payload, p.version FROM audit_events e "
        "LEFT JOIN policy_versions p ON p.id = e.policy";
    std::vector<Value> values;
    if (!buildFilter(*db, sql, values, query)) {
        return records;
    }
    sql += " ORDER BY e.seq LIMIT ?";
    values.emplace_back(static_cast<std::int64_t>(std::clamp(query.limit, 1, 100'000)));
    SqliteStatement select = db->prepare(sql.constData(), &problem);
    if (!select.valid()) {
        if (error) {
            *error = problem;
        }
        return records;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
            select.bind(index, *number);
        } else {
            select.bindText(index, std::get<QByteArray>(values[i]));
        }
    }
    int rc;
    while ((rc = stepRetrying(select)) == SQLITE_ROW) {
        records.push_back(
            AuditRecord{select.integer(0), AuditRow{select.integer(1), select.text(2), select.text(3),
                                                    select.text(4), select.bytes(5), select.text(6)}});
    }
    if (rc != SQLITE_DONE && error) {
        *error = db->errorText();
    }
    return records;
}

std::int64_t AuditStore::exportTo(const AuditQuery& filter, const QString& format, const QString& file,
                                  QString* error) const {
    if (format != u"csv" && format != u"jsonl") {
        *error = QStringLiteral("format: must be csv or jsonl");
        return -1;
    }
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = file + QStringLiteral(": cannot write: ") + out.errorString();
        return -1;
    }
    const auto csv = [](QString text) -> QString {  // a QString, not a QStringBuilder into a dead parameter
        text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    };
    if (format == u"csv") {
        out.write("seq,at_ms,trace_id,kind,subject,policy_version,payload\n");
    }
    AuditQuery page = filter;
    page.limit = 5000;
    std::int64_t written = 0;
    for (;;) {
        QString problem;
        const auto records = query(page, &problem);
        if (!problem.isEmpty()) {
            *error = problem;
            return -1;
        }
        if (records.empty()) {
            break;
        }
        for (const AuditRecord& r : records) {
            if (format == u"csv") {
                out.write(QStringList{QString::number(r.seq), QString::number(r.row.atMs), csv(r.row.traceId),
                                      csv(r.row.kind), csv(r.row.subject), csv(r.row.policyVersion),
                                      csv(QString::fromUtf8(r.row.payload))}
                              .join(QLatin1Char(','))
                              .toUtf8() +
                          '\n');
            } else {
                QJsonObject o{{QStringLiteral("seq"), static_cast<qint64>(r.seq)},
                              {QStringLiteral("at_ms"), static_cast<qint64>(r.row.atMs)},
                              {QStringLiteral("trace_id"), r.row.traceId},
                              {QStringLiteral("kind"), r.row.kind},
                              {QStringLiteral("subject"), r.row.subject},
                              {QStringLiteral("policy_version"), r.row.policyVersion},
                              {QStringLiteral("payload"), QJsonDocument::fromJson(r.row.payload).object()}};
                out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
            }
            ++written;
        }
        page.afterSeq = records.back().seq;
    }
    return written;
}

}  // namespace tai
