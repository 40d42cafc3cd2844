#include "deployments/rollout_json.h"

#include <QJsonArray>

namespace tai {

QJsonObject rolloutToJson(const RolloutView& v) {
    QJsonArray regions;
    for (const RegionView& r : v.regions) {
        QJsonObject region{{QStringLiteral("region"), r.region},
                           {QStringLiteral("stage"), r.stage},
                           {QStringLiteral("stage_index"), r.stageIndex},
                           {QStringLiteral("weight"), r.weight},
                           {QStringLiteral("note"), r.note}};
        if (r.awaitingPromote) {
            region.insert(QStringLiteral("awaiting_promote"), true);
        }
        if (!r.health.empty()) {
            const HealthPoint& last = r.health.back();
            region.insert(QStringLiteral("last_measurement"),
                          QJsonObject{{QStringLiteral("at_ms"), static_cast<qint64>(toEpochMs(last.at))},
                                      {QStringLiteral("error_rate"), last.errorRate},
                                      {QStringLiteral("p99_ms"), last.p99Ms},
                                      {QStringLiteral("result"), toString(last.result)}});
        }
        regions.append(region);
    }
    return QJsonObject{{QStringLiteral("id"), v.id},
                       {QStringLiteral("service"), v.service},
                       {QStringLiteral("version"), v.version},
                       {QStringLiteral("requested_by"), v.requestedBy},
                       {QStringLiteral("status"), toString(v.status)},
                       {QStringLiteral("created_at_ms"), static_cast<qint64>(toEpochMs(v.createdAt))},
                       {QStringLiteral("active_region"), v.activeRegion},
                       {QStringLiteral("mttr_s"), v.mttrS},
                       {QStringLiteral("regions"), regions}};
}

std::optional<RolloutView> rolloutFromJson(const QJsonObject& o) {
    RolloutView v;
    v.id = o.value(QStringLiteral("id")).toString();
    v.service = o.value(QStringLiteral("service")).toString();
    v.version = o.value(QStringLiteral("version")).toString();
    if (v.id.isEmpty() || v.service.isEmpty() || v.version.isEmpty()) {
        return std::nullopt;
    }
    v.requestedBy = o.value(QStringLiteral("requested_by")).toString();
    v.createdAt = fromEpochMs(o.value(QStringLiteral("created_at_ms")).toInteger());
    v.activeRegion = o.value(QStringLiteral("active_region")).toInt(-1);
    v.mttrS = o.value(QStringLiteral("mttr_s")).toDouble(-1);
    const QString status = o.value(QStringLiteral("status")).toString();
    for (int i = 0; i <= static_cast<int>(RolloutStatus::Interrupted); ++i) {
        if (toString(static_cast<RolloutStatus>(i)) == status) {
            v.status = static_cast<RolloutStatus>(i);
        }
    }
    for (const QJsonValue& value : o.value(QStringLiteral("regions")).toArray()) {
        const QJsonObject r = value.toObject();
        RegionView region;
        region.region = r.value(QStringLiteral("region")).toString();
        region.stage = r.value(QStringLiteral("stage")).toString();
        region.stageIndex = r.value(QStringLiteral("stage_index")).toInt(-1);
        region.weight = r.value(QStringLiteral("weight")).toInt();
        region.note = r.value(QStringLiteral("note")).toString();
        v.regions.push_back(region);
    }
    return v;
}

QJsonObject rejectedDeploymentToJson(const RejectedDeployment& r) {
    return QJsonObject{{QStringLiteral("id"), r.id},
                       {QStringLiteral("service"), r.service},
                       {QStringLiteral("version"), r.version},
                       {QStringLiteral("requested_by"), r.requestedBy},
                       {QStringLiteral("status"), QStringLiteral("rejected")},
                       {QStringLiteral("created_at_ms"), static_cast<qint64>(toEpochMs(r.at))},
                       {QStringLiteral("reasons"), QJsonArray::fromStringList(r.reasons)},
                       {QStringLiteral("regions"), QJsonArray()}};
}

QJsonObject revisionToJson(const RevisionView& r) {
    QJsonObject o{{QStringLiteral("revision"), r.revision},
                  {QStringLiteral("deployment"), r.deployment},
                  {QStringLiteral("version"), r.version},
                  {QStringLiteral("status"), toString(r.status)},
                  {QStringLiteral("created_at_ms"), static_cast<qint64>(toEpochMs(r.createdAt))}};
    if (!r.requestedBy.isEmpty()) {
        o.insert(QStringLiteral("requested_by"), r.requestedBy);
    }
    return o;
}

}  // namespace tai
