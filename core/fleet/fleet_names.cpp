#include "fleet/fleet_names.h"

#include <QCryptographicHash>

namespace tai::fleet {

namespace {

bool isNameToken(const QString& name) {
    if (name.isEmpty() || name.size() > 64) {
        return false;
    }
    for (const QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                        c == u'_' || c == u'-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace

FleetNames::FleetNames(QString fleet) : fleet_(std::move(fleet)) {}

QString FleetNames::bucket(QStringView suffix) const {
    return u"tai_" + fleet_ + u'_' + suffix;
}

QString FleetNames::auditStream() const {
    return u"TAI_" + fleet_ + u"_AUDIT";
}

QString FleetNames::auditSubject(const QString& instance) const {
    return u"tai." + fleet_ + u".audit." + instance;
}

QString FleetNames::auditSubjects() const {
    return u"tai." + fleet_ + u".audit.>";
}

QString FleetNames::snapshotSubject(const QString& instance) const {
    return u"tai." + fleet_ + u".snap." + instance;
}

QString FleetNames::snapshotSubjects() const {
    return u"tai." + fleet_ + u".snap.*";
}

QString FleetNames::controlSubject(const QString& instance) const {
    return u"tai." + fleet_ + u".ctl." + instance;
}

QString FleetNames::controlAllSubject() const {
    return u"tai." + fleet_ + u".ctl.all";
}

QString FleetNames::deploySubject() const {
    return u"tai." + fleet_ + u".deploy";
}

QString FleetNames::deployQueueGroup() const {
    return u"tai." + fleet_ + u".controller";
}

QString FleetNames::idempotencyKey(const QString& key) {
    const QByteArray digest = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    return u"k." + QString::fromLatin1(digest.toHex());
}

QString FleetNames::customerKey(const QString& customer) {
    const QByteArray encoded =
        customer.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return u"c." + QString::fromLatin1(encoded);
}

QString FleetNames::memberKey(const QString& instance) {
    return u"m." + instance;
}

QString FleetNames::memberFromKey(const QString& key) {
    return key.startsWith(u"m.") ? key.mid(2) : QString();
}

bool FleetNames::isValidFleetName(const QString& name) {
    return isNameToken(name);
}

bool FleetNames::isValidInstanceId(const QString& id) {
    return isNameToken(id) && id != u"all";
}

}  // namespace tai::fleet
