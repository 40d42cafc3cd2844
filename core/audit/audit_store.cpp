#include "audit/audit_store.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <spdlog/spdlog.h>

#include <future>

namespace tai {

struct Batch {
    std::vector<AuditRow> rows;
    std::vector<IdempotencyRow> keys;
    std::vector<std::tuple<QString, QString, QByteArray>> rollouts;
    std::vector<std::function<void()>> committed;
};

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

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

bool exec(QSqlDatabase db, const QString& sql, QString* error) {
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = sql.left(60) + QStringLiteral("…: ") + q.lastError().text();
        return false;
    }
    return true;
}

// Schema migrations: each step runs once, in order, and records its version.
const QStringList kMigrations[] = {
    {
        QStringLiteral(
            "CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, "
            "trace_id TEXT, kind TEXT NOT NULL, subject TEXT, payload TEXT, policy_version TEXT)"),
        QStringLiteral("CREATE INDEX audit_kind ON audit_events(kind, seq)"),
        QStringLiteral("CREATE INDEX audit_subject ON audit_events(subject, seq)"),
        QStringLiteral("CREATE INDEX audit_trace ON audit_events(trace_id)"),
        QStringLiteral("CREATE INDEX audit_time ON audit_events(at_ms)"),
        QStringLiteral(
            "CREATE TABLE idempotency (key TEXT PRIMARY KEY, hash TEXT NOT NULL, response TEXT NOT NULL, "
            "stored_at_ms INTEGER NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE rollouts (id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL)"),
    },
};

bool migrate(QSqlDatabase db, std::int64_t nowMs, QString* error) {
    if (!exec(db,
              QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                             "applied_at_ms INTEGER)"),
              error)) {
        return false;
    }
    QSqlQuery current(db);
    current.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    const int have = current.next() ? current.value(0).toInt() : 0;
    if (have > AuditStore::kSchemaVersion) {
        *error = QStringLiteral("the database has schema version %1; this build knows up to %2")
                     .arg(have)
                     .arg(AuditStore::kSchemaVersion);
        return false;
    }
    for (int version = have + 1; version <= AuditStore::kSchemaVersion; ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        for (const QString& sql : kMigrations[version - 1]) {
            if (!exec(db, sql, error)) {
                db.rollback();
                return false;
            }
        }
        QSqlQuery record(db);
        record.prepare(
            QStringLiteral("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)"));
        record.addBindValue(version);
        record.addBindValue(static_cast<qlonglong>(nowMs));
        if (!record.exec() || !db.commit()) {
            *error = record.lastError().text();
            db.rollback();
            return false;
        }
        spdlog::info("audit store: applied schema migration {}", version);
    }
    return true;
}

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

AuditStore::AuditStore(const Options& options, QString databaseName)
    : options_(options), databaseName_(std::move(databaseName)), pending_(std::make_unique<Batch>()) {}

std::unique_ptr<AuditStore> AuditStore::open(const Options& options, QString* error) {
    static std::atomic<int> counter{0};
    const QString name =
        options.path.isEmpty()
            ? QStringLiteral("file:tai-memory-%1?mode=memory&cache=shared").arg(counter.fetch_add(1))
            : options.path;
    std::unique_ptr<AuditStore> store(new AuditStore(options, name));
    std::promise<QString> ready;
    auto started = ready.get_future();
    store->writer_ = std::thread([raw = store.get(), &ready] {
        AuditConnection connection(raw->databaseName_, QStringLiteral("tai-audit-writer-"));
        QString problem;
        if (!connection.ok()) {
            problem = QStringLiteral("cannot open %1: %2").arg(raw->databaseName_, connection.error());
        } else {
            QSqlDatabase db = connection.db();
            // WAL lets readers page the trail while the writer commits; FULL fsyncs every commit.
            if (!raw->databaseName_.startsWith(QStringLiteral("file:"))) {
                exec(db, QStringLiteral("PRAGMA journal_mode=WAL"), &problem);
            }
            exec(db, QStringLiteral("PRAGMA synchronous=FULL"), &problem);
            if (problem.isEmpty()) {
                migrate(db, raw->options_.nowMs ? raw->options_.nowMs() : 0, &problem);
            }
        }
        if (problem.isEmpty()) {
            raw->purge();  // before anyone reads: retention applies from the first query
        }
        ready.set_value(problem);
        if (problem.isEmpty()) {
            raw->run();
        }
    });
    const QString problem = started.get();
    if (!problem.isEmpty()) {
        store->writer_.join();
        *error = problem;
        return nullptr;
    }
    return store;
}

AuditStore::~AuditStore() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) {
        writer_.join();
    }
}

void AuditStore::append(AuditRow row) {
    std::lock_guard lock(mutex_);
    pending_->rows.push_back(std::move(row));
    if (++pendingRows_ >= kBatchRows) {
        wake_.notify_one();
    }
}

void AuditStore::appendDurable(std::vector<AuditRow> rows, std::optional<IdempotencyRow> key,
                               std::function<void()> committed) {
    std::lock_guard lock(mutex_);
    pendingRows_ += rows.size();
    for (AuditRow& row : rows) {
        pending_->rows.push_back(std::move(row));
    }
    if (key) {
        pending_->keys.push_back(std::move(*key));
    }
    if (committed) {
        pending_->committed.push_back(std::move(committed));
    }
    if (pendingRows_ >= kBatchRows) {
        wake_.notify_one();
    }
}

void AuditStore::putRollout(const QString& id, const QString& status, const QByteArray& json) {
    std::lock_guard lock(mutex_);
    pending_->rollouts.emplace_back(id, status, json);
}

void AuditStore::flush() {
    std::promise<void> done;
    appendDurable({}, std::nullopt, [&done] { done.set_value(); });
    wake_.notify_one();
    done.get_future().wait();
}

QString AuditStore::lastError() const {
    std::lock_guard lock(mutex_);
    return lastError_;
}

void AuditStore::run() {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-commit-"));
    commitConnection_ = &connection;
    QString pragmaError;
    exec(connection.db(), QStringLiteral("PRAGMA synchronous=FULL"), &pragmaError);  // per connection
    std::int64_t lastPurgeMs = options_.nowMs ? options_.nowMs() : 0;
    for (;;) {
        std::unique_ptr<Batch> batch;
        {
            std::unique_lock lock(mutex_);
            // Group commit: wait for a full batch, for the window to pass, or for shutdown.
            wake_.wait_for(lock, kBatchWindow, [this] { return stopping_ || pendingRows_ >= kBatchRows; });
            const bool empty = pending_->rows.empty() && pending_->keys.empty() &&
                               pending_->rollouts.empty() && pending_->committed.empty();
            if (empty) {
                if (stopping_) {
                    return;
                }
                continue;
            }
            batch = std::exchange(pending_, std::make_unique<Batch>());
            pendingRows_ = 0;
        }
        // Never acknowledge what is not on disk: retry until the commit succeeds.
        int attempt = 0;
        while (!commitBatch(*batch)) {
            const auto wait = std::chrono::milliseconds(std::min(1000, 50 << std::min(attempt++, 5)));
            std::this_thread::sleep_for(wait);
        }
        for (auto& committed : batch->committed) {
            committed();
        }
        const std::int64_t purgeEveryMs =
            databaseName_.startsWith(QStringLiteral("file:")) ? 60'000 : 3'600'000;
        if (options_.nowMs && options_.nowMs() - lastPurgeMs > purgeEveryMs) {
            purge();
            lastPurgeMs = options_.nowMs();
        }
    }
}

bool AuditStore::commitBatch(Batch& batch) {
    QSqlDatabase db = commitConnection_->db();
    const auto fail = [&](const QString& what) {
        std::lock_guard lock(mutex_);
        lastError_ = what;
        spdlog::error("audit store: commit failed, retrying: {}", what.toStdString());
        db.rollback();
        return false;
    };
    if (!db.transaction()) {
        return fail(db.lastError().text());
    }
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO audit_events (at_ms, trace_id, kind, subject, payload, policy_version) "
                       "VALUES (?, ?, ?, ?, ?, ?)"));
    for (const AuditRow& row : batch.rows) {
        insert.bindValue(0, static_cast<qlonglong>(row.atMs));
        insert.bindValue(1, row.traceId);
        insert.bindValue(2, row.kind);
        insert.bindValue(3, row.subject);
        insert.bindValue(4, QString::fromUtf8(row.payload));
        insert.bindValue(5, row.policyVersion);
        if (!insert.exec()) {
            return fail(insert.lastError().text());
        }
    }
    QSqlQuery key(db);
    key.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO idempotency (key, hash, response, stored_at_ms) VALUES (?, ?, ?, ?)"));
    for (const IdempotencyRow& k : batch.keys) {
        key.bindValue(0, k.key);
        key.bindValue(1, QString::fromLatin1(k.canonicalHash));
        key.bindValue(2, QString::fromUtf8(k.response));
        key.bindValue(3, static_cast<qlonglong>(k.storedAtMs));
        if (!key.exec()) {
            return fail(key.lastError().text());
        }
    }
    QSqlQuery rollout(db);
    rollout.prepare(QStringLiteral("INSERT OR REPLACE INTO rollouts (id, status, state) VALUES (?, ?, ?)"));
    for (const auto& [id, status, json] : batch.rollouts) {
        rollout.bindValue(0, id);
        rollout.bindValue(1, status);
        rollout.bindValue(2, QString::fromUtf8(json));
        if (!rollout.exec()) {
            return fail(rollout.lastError().text());
        }
    }
    if (!db.commit()) {
        return fail(db.lastError().text());
    }
    committedRows_ += batch.rows.size();
    ++commits_;
    return true;
}

void AuditStore::purge() {
    if (!options_.nowMs) {
        return;
    }
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-purge-"));
    QSqlQuery q(connection.db());
    const std::int64_t now = options_.nowMs();
    const bool inMemory = databaseName_.startsWith(QStringLiteral("file:"));
    const std::int64_t keepMs =
        inMemory ? std::chrono::duration_cast<std::chrono::milliseconds>(options_.memoryRetention).count()
                 : options_.retentionDays * kDayMs;
    q.prepare(QStringLiteral("DELETE FROM audit_events WHERE at_ms < ?"));
    q.addBindValue(static_cast<qlonglong>(now - keepMs));
    if (!q.exec()) {
        spdlog::warn("audit store: retention failed: {}", q.lastError().text().toStdString());
    }
    const auto removed = q.numRowsAffected();
    q.prepare(QStringLiteral("DELETE FROM idempotency WHERE stored_at_ms <= ?"));
    q.addBindValue(static_cast<qlonglong>(now - kDayMs));
    q.exec();
    if (removed > 0) {
        spdlog::debug("audit store: retention removed {} events", removed);
    }
}

std::vector<IdempotencyRow> AuditStore::loadIdempotency(std::int64_t nowMs) const {
    AuditConnection connection(databaseName_, QStringLiteral("tai-audit-reader-"));
    QSqlQuery q(connection.db());
    q.prepare(
        QStringLiteral("SELECT key, hash, response, stored_at_ms FROM idempotency WHERE stored_at_ms > ?"));
    q.addBindValue(static_cast<qlonglong>(nowMs - kDayMs));
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
