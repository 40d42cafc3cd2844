#include "audit/audit_connection.h"
#include "audit/audit_store.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

// The read side of the audit store: each call opens its own connection on the calling thread,
// which WAL lets run beside the writer.
namespace tai {

namespace {
void bindFilter(QString& sql, QVariantList& values, const AuditQuery& q) {
    sql += QStringLiteral(" WHERE seq > ?");
    values << static_cast<qlonglong>(q.afterSeq);
    if (!q.kinds.isEmpty()) {
        QStringList marks;
        for (const QString& kind : q.kinds) {
            marks << QStringLiteral("?");
            values << kind;
        }
        sql += QStringLiteral(" AND kind IN (") + marks.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    if (!q.subject.isEmpty()) {
        sql += QStringLiteral(" AND subject = ?");
        values << q.subject;
    }
    if (!q.traceId.isEmpty()) {
        sql += QStringLiteral(" AND trace_id = ?");
        values << q.traceId;
    }
    if (q.fromMs) {
        sql += QStringLiteral(" AND at_ms >= ?");
        values << static_cast<qlonglong>(*q.fromMs);
    }
    if (q.toMs) {
        sql += QStringLiteral(" AND at_ms <= ?");
        values << static_cast<qlonglong>(*q.toMs);
    }
}
}  // namespace

std::vector<IdempotencyRow> AuditStore::loadIdempotency(std::int64_t nowMs) const {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-reader-"));
    QSqlQuery q(connection.db());
    q.prepare(
        QStringLiteral("SELECT key, hash, response, stored_at_ms FROM idempotency WHERE stored_at_ms > ?"));
    q.addBindValue(static_cast<qlonglong>(nowMs - kAuditDayMs));
    q.exec();
    std::vector<IdempotencyRow> rows;
    while (q.next()) {
        rows.push_back(IdempotencyRow{q.value(0).toString(), q.value(1).toString().toLatin1(),
                                      q.value(2).toString().toUtf8(), q.value(3).toLongLong()});
    }
    return rows;
}

std::vector<std::pair<QString, QByteArray>> AuditStore::loadRollouts() const {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-reader-"));
    QSqlQuery q(connection.db());
    q.exec(QStringLiteral("SELECT status, state FROM rollouts ORDER BY rowid"));
    std::vector<std::pair<QString, QByteArray>> rows;
    while (q.next()) {
        rows.emplace_back(q.value(0).toString(), q.value(1).toString().toUtf8());
    }
    return rows;
}

std::vector<AuditRecord> AuditStore::query(const AuditQuery& query, QString* error) const {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-reader-"));
    QString sql = QStringLiteral(
        "SELECT seq, at_ms, trace_id, kind, subject, payload, policy_version FROM audit_events");
    QVariantList values;
    bindFilter(sql, values, query);
    sql += QStringLiteral(" ORDER BY seq LIMIT ?");
    values << std::clamp(query.limit, 1, 100'000);
    QSqlQuery q(connection.db());
    q.prepare(sql);
    for (const QVariant& v : values) {
        q.addBindValue(v);
    }
    std::vector<AuditRecord> records;
    if (!q.exec()) {
        if (error) {
            *error = q.lastError().text();
        }
        return records;
    }
    while (q.next()) {
        records.push_back(AuditRecord{
            q.value(0).toLongLong(),
            AuditRow{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                     q.value(4).toString(), q.value(5).toString().toUtf8(), q.value(6).toString()}});
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
        const auto records = query(page, error);
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
