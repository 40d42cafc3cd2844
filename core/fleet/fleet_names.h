#pragma once

#include <QString>

namespace tai::fleet {

// Every bucket, stream, subject and key shape of FLEET.md §14.2–14.3, in one place so the instances,
// the controller and the console cannot disagree on a name.
class FleetNames {
public:
    explicit FleetNames(QString fleet);

    const QString& fleet() const { return fleet_; }

    QString idempotencyBucket() const { return bucket(u"idem"); }
    QString customerBucket() const { return bucket(u"cust"); }
    QString membersBucket() const { return bucket(u"members"); }
    QString leaseBucket() const { return bucket(u"lease"); }
    QString rolloutsBucket() const { return bucket(u"rollouts"); }
    QString controlBucket() const { return bucket(u"control"); }

    QString auditStream() const;                             // TAI_<fleet>_AUDIT
    QString auditSubject(const QString& instance) const;     // tai.<fleet>.audit.<instance>
    QString auditSubjects() const;                           // tai.<fleet>.audit.>
    QString snapshotSubject(const QString& instance) const;  // tai.<fleet>.snap.<instance>
    QString snapshotSubjects() const;                        // tai.<fleet>.snap.*
    QString controlSubject(const QString& instance) const;   // tai.<fleet>.ctl.<instance>
    QString controlAllSubject() const;                       // tai.<fleet>.ctl.all
    QString deploySubject() const;                           // tai.<fleet>.deploy
    QString deployQueueGroup() const;                        // tai.<fleet>.controller

    static QString idempotencyKey(const QString& key);    // k.<sha256 hex of the key>
    static QString customerKey(const QString& customer);  // c.<base64url of the customer>
    static QString memberKey(const QString& instance);    // m.<instance>
    static QString memberFromKey(const QString& key);     // the instance, or empty
    static QString leaseKey() { return QStringLiteral("controller"); }

    // A fleet name or an instance id: 1–64 of [A-Za-z0-9_-], so that it is a valid bucket name,
    // stream name, subject token and key token at once. "all" is not an instance (ctl.all).
    static bool isValidFleetName(const QString& name);
    static bool isValidInstanceId(const QString& id);

private:
    QString bucket(QStringView suffix) const;

    QString fleet_;
};

}  // namespace tai::fleet
