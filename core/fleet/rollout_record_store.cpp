#include "fleet/rollout_record_store.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket.h"
#include "fleet/leader_lease.h"
#include "fleet/lease_record.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tai::fleet {

namespace {

using Kind = FleetError::Kind;

QByteArray encodeEnvelope(const QByteArray& value, std::uint64_t epoch, const QString& writer) {
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("epoch"), QString::number(epoch));
    o.insert(QStringLiteral("writer"), writer);
    o.insert(QStringLiteral("record"), QString::fromLatin1(value.toBase64()));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

RolloutWriteResult result(RolloutWriteResult::Kind kind, FleetError error = {}) {
    RolloutWriteResult out;
    out.kind = kind;
    out.error = std::move(error);
    return out;
}

}  // namespace

RolloutRecordStore::RolloutRecordStore(std::shared_ptr<FleetConnection> connection)
    : RolloutRecordStore(std::move(connection), Options{}) {}

RolloutRecordStore::RolloutRecordStore(std::shared_ptr<FleetConnection> connection, Options options)
    : connection_(std::move(connection)), options_(options) {
    spec_.name = connection_->names().rolloutsBucket();
    spec_.maxValueBytes = options_.maxValueBytes * 2;  // base64 in the envelope
    leaseSpec_ = LeaderLease::bucketSpec(*connection_, options_.leaseTtl);
}

FleetResult<std::optional<RolloutRecord>> RolloutRecordStore::readFrom(KvBucket& bucket, const QString& key) {
    auto got = bucket.get(key);
    if (!got.ok()) {
        return got.error();
    }
    if (!got.value() || !got.value()->isLive()) {
        return std::optional<RolloutRecord>{};
    }
    const QJsonObject o = QJsonDocument::fromJson(got.value()->value).object();
    RolloutRecord record;
    record.key = key;
    record.revision = got.value()->revision;
    bool ok = false;
    record.epoch = o.value(u"epoch").toString().toULongLong(&ok);
    record.writer = o.value(u"writer").toString();
    auto value = QByteArray::fromBase64Encoding(o.value(u"record").toString().toLatin1(),
                                                QByteArray::AbortOnBase64DecodingErrors);
    if (!ok || !value) {
        return FleetError::make(Kind::BadData, u"rollout record " + key + u": not a fenced record envelope");
    }
    record.value = std::move(*value);
    return std::optional<RolloutRecord>(std::move(record));
}

FleetResult<std::optional<RolloutRecord>> RolloutRecordStore::read(const QString& key) {
    auto bucket = connection_->bucket(spec_);
    if (!bucket.ok()) {
        return bucket.error();
    }
    return readFrom(*bucket.value(), key);
}

FleetResult<std::vector<RolloutRecord>> RolloutRecordStore::list() {
    auto bucket = connection_->bucket(spec_);
    if (!bucket.ok()) {
        return bucket.error();
    }
    auto entries = bucket.value()->entries();
    if (!entries.ok()) {
        return entries.error();
    }
    std::vector<RolloutRecord> out;
    for (const KvEntry& entry : entries.value()) {
        auto record = readFrom(*bucket.value(), entry.key);  // one decoder for both paths
        if (record.ok() && record.value()) {
            out.push_back(*record.value());
        }
    }
    return out;
}

RolloutWriteResult RolloutRecordStore::classify(KvBucket& bucket, const QString& key, std::uint64_t epoch,
                                                const FleetError& failure) {
    if (failure.kind != Kind::Conflict && failure.kind != Kind::Uncertain) {
        return result(RolloutWriteResult::Kind::Unavailable, failure);
    }
    auto current = readFrom(bucket, key);
    if (!current.ok()) {
        return result(RolloutWriteResult::Kind::Unavailable, current.error());
    }
    RolloutWriteResult out;
    out.current = current.value();
    if (out.current && out.current->epoch > epoch) {
        out.kind = RolloutWriteResult::Kind::Fenced;
        out.error = FleetError::make(
            Kind::Conflict, u"rollout record " + key + u": written by " + out.current->writer +
                                u" at epoch " + QString::number(out.current->epoch) + u", newer than ours (" +
                                QString::number(epoch) + u')');
        return out;
    }
    // An unconfirmed write may be the one there now: the caller re-reads and re-decides either way.
    out.kind = RolloutWriteResult::Kind::Conflict;
    out.error =
        failure.kind == Kind::Conflict
            ? failure
            : FleetError::make(Kind::Conflict, u"rollout record " + key + u": write unconfirmed; read again");
    return out;
}

RolloutWriteResult RolloutRecordStore::write(const QString& key, const QByteArray& value,
                                             std::uint64_t revision, std::uint64_t epoch) {
    const QString me = connection_->config().instanceId;
    if (epoch == 0 || me.isEmpty()) {
        return result(
            RolloutWriteResult::Kind::Fenced,
            FleetError::make(Kind::InvalidArgument, QStringLiteral("rollout record: no lease epoch")));
    }
    if (value.size() > options_.maxValueBytes) {
        return result(RolloutWriteResult::Kind::Unavailable,
                      FleetError::make(Kind::TooLarge, u"rollout record " + key + u": too large"));
    }
    // Fencing: the lease must still be ours, at this epoch.
    auto leaseBucket = connection_->bucket(leaseSpec_);
    if (!leaseBucket.ok()) {
        return result(RolloutWriteResult::Kind::Unavailable, leaseBucket.error());
    }
    auto lease = leaseBucket.value()->get(FleetNames::leaseKey());
    if (!lease.ok()) {
        return result(RolloutWriteResult::Kind::Unavailable, lease.error());
    }
    if (!lease.value() || !lease.value()->isLive()) {
        return result(
            RolloutWriteResult::Kind::Fenced,
            FleetError::make(Kind::Conflict, QStringLiteral("rollout record: the lease has expired")));
    }
    auto holder = LeaseRecord::decode(*lease.value());
    if (!holder.ok() || holder.value().holder != me || holder.value().epoch != epoch) {
        return result(
            RolloutWriteResult::Kind::Fenced,
            FleetError::make(Kind::Conflict, u"rollout record: the lease is held by " +
                                                 (holder.ok() ? holder.value().holder + u" at epoch " +
                                                                    QString::number(holder.value().epoch)
                                                              : QStringLiteral("(unreadable)")) +
                                                 u", not by " + me + u" at epoch " + QString::number(epoch)));
    }

    auto bucket = connection_->bucket(spec_);
    if (!bucket.ok()) {
        return result(RolloutWriteResult::Kind::Unavailable, bucket.error());
    }
    const QByteArray envelope = encodeEnvelope(value, epoch, me);
    auto written = revision == 0 ? bucket.value()->create(key, envelope)
                                 : bucket.value()->update(key, envelope, revision);
    if (!written.ok()) {
        return classify(*bucket.value(), key, epoch, written.error());
    }
    RolloutWriteResult out = result(RolloutWriteResult::Kind::Written);
    out.revision = written.value();
    return out;
}

}  // namespace tai::fleet
