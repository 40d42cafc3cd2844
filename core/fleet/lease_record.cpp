#include "fleet/lease_record.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tai::fleet {

QByteArray LeaseRecord::encode() const {
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("holder"), holder);
    if (epoch != 0) {
        o.insert(QStringLiteral("epoch"), QString::number(epoch));  // a string: 64 bits survive JSON
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

FleetResult<LeaseRecord> LeaseRecord::decode(const KvEntry& entry) {
    const QJsonDocument document = QJsonDocument::fromJson(entry.value);
    const QJsonObject o = document.object();
    LeaseRecord record;
    record.holder = o.value(u"holder").toString();
    if (!document.isObject() || record.holder.isEmpty()) {
        return FleetError::make(FleetError::Kind::BadData,
                                QStringLiteral("lease: no 'holder' in the lease value"));
    }
    bool ok = true;
    record.epoch = o.contains(u"epoch") ? o.value(u"epoch").toString().toULongLong(&ok) : entry.revision;
    if (!ok || record.epoch == 0) {
        return FleetError::make(FleetError::Kind::BadData,
                                QStringLiteral("lease: 'epoch' is not a revision"));
    }
    return record;
}

}  // namespace tai::fleet
