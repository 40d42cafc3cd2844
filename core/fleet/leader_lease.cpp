#include "fleet/leader_lease.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_io_thread.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket.h"
#include "fleet/lease_record.h"

#include <QDateTime>

namespace tai::fleet {

namespace {
using namespace std::chrono_literals;
}

struct LeaderLease::Outcome {
    bool won = false;
    std::uint64_t revision = 0;
    QString holder;                          // campaign lost: who holds it
    std::chrono::milliseconds expiresIn{0};  // campaign lost: when its lease runs out, by its last write
    FleetError error;
};

LeaderLease::LeaderLease(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                         Options options, QObject* parent)
    : QObject(parent),
      connection_(std::move(connection)),
      io_(std::move(io)),
      options_(options),
      spec_(bucketSpec(*connection_, options.ttl)) {
    if (options_.renewInterval.count() <= 0) {
        options_.renewInterval = options_.ttl / 3;
    }
    if (options_.campaignInterval.count() <= 0) {
        options_.campaignInterval = options_.ttl / 5;
    }
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &LeaderLease::tick);
    deadline_.setSingleShot(true);
    connect(&deadline_, &QTimer::timeout, this, [this] {
        loseLeadership(QStringLiteral("the lease could not be renewed before it might have expired"));
        if (!inFlight_) {
            scheduleCampaign(0ms);
        }
    });
}

// The lease must not outlive our belief in it: give up before the server could let it go. The
// clock runs from when the last acknowledged write was sent, never from its acknowledgement.
void LeaderLease::armDeadline() {
    const auto safeFor = options_.ttl - options_.ttl / 5;
    deadline_.start(std::max(0ms, safeFor - std::chrono::milliseconds(sinceConfirmed_.elapsed())));
}

LeaderLease::~LeaderLease() {
    if (leader_) {
        // Best effort, so that a clean shutdown hands over at once instead of after the TTL.
        io_->post([connection = connection_, spec = spec_, revision = revision_] {
            if (auto bucket = connection->bucket(spec); bucket.ok()) {
                (void)bucket.value()->remove(FleetNames::leaseKey(), revision);
            }
        });
    }
}

KvBucketSpec LeaderLease::bucketSpec(const FleetConnection& connection, std::chrono::milliseconds ttl) {
    KvBucketSpec spec;
    spec.name = connection.names().leaseBucket();
    spec.ttl = ttl;
    spec.maxValueBytes = 1024;
    return spec;
}

void LeaderLease::start() {
    running_ = true;
    scheduleCampaign(0ms);
}

void LeaderLease::stop() {
    running_ = false;
    timer_.stop();
    deadline_.stop();
    if (leader_) {
        io_->post([connection = connection_, spec = spec_, revision = revision_] {
            if (auto bucket = connection->bucket(spec); bucket.ok()) {
                (void)bucket.value()->remove(FleetNames::leaseKey(), revision);
            }
        });
        loseLeadership(QStringLiteral("stepped down"));
    }
}

void LeaderLease::scheduleCampaign(std::chrono::milliseconds delay) {
    if (running_) {
        timer_.start(std::max(0ms, delay));
    }
}

void LeaderLease::tick() {
    if (!running_ || inFlight_) {
        return;
    }
    if (leader_) {
        renew();
    } else {
        campaign();
    }
}

void LeaderLease::loseLeadership(const QString& reason) {
    if (!leader_) {
        return;
    }
    leader_ = false;
    deadline_.stop();
    Q_EMIT lost(reason);
}

void LeaderLease::campaign() {
    const QString me = connection_->config().instanceId;
    auto job = [connection = connection_, spec = spec_, me, ttl = options_.ttl]() -> Outcome {
        Outcome outcome;
        auto bucket = connection->bucket(spec);
        if (!bucket.ok()) {
            outcome.error = bucket.error();
            return outcome;
        }
        const QByteArray mine = LeaseRecord{me, 0}.encode();
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto created = bucket.value()->create(FleetNames::leaseKey(), mine);
            if (created.ok()) {
                outcome.won = true;
                outcome.revision = created.value();
                return outcome;
            }
            if (created.error().kind != FleetError::Kind::Conflict) {
                // An Uncertain create that landed shows up as our own lease on the next campaign.
                outcome.error = created.error();
                return outcome;
            }
            auto current = bucket.value()->get(FleetNames::leaseKey());
            if (!current.ok() || !current.value() || !current.value()->isLive()) {
                outcome.error = current.ok()
                                    ? FleetError::make(FleetError::Kind::Conflict,
                                                       QStringLiteral("lease: changed while campaigning"))
                                    : current.error();
                return outcome;
            }
            auto record = LeaseRecord::decode(*current.value());
            if (record.ok() && record.value().holder == me) {
                // Ours from an earlier term (a renew that was not confirmed, or a restart): end it
                // and win a fresh epoch rather than resume a term we already gave up.
                (void)bucket.value()->remove(FleetNames::leaseKey(), current.value()->revision);
                continue;
            }
            outcome.holder = record.ok() ? record.value().holder : QStringLiteral("(unreadable)");
            const std::int64_t writtenMs = current.value()->createdNs / 1'000'000;
            outcome.expiresIn =
                std::chrono::milliseconds(writtenMs + ttl.count() - QDateTime::currentMSecsSinceEpoch());
            return outcome;
        }
        outcome.error =
            FleetError::make(FleetError::Kind::Conflict, QStringLiteral("lease: changed while campaigning"));
        return outcome;
    };
    QElapsedTimer sentAt;
    sentAt.start();
    inFlight_ = io_->submit(std::move(job), this, [this, sentAt](const Outcome& outcome) {
        sinceConfirmed_ = sentAt;
        onCampaign(outcome);
    });
    if (!inFlight_) {
        scheduleCampaign(options_.campaignInterval);
    }
}

void LeaderLease::onCampaign(const Outcome& outcome) {
    inFlight_ = false;
    if (outcome.won) {
        revision_ = outcome.revision;
        if (!running_) {
            io_->post([connection = connection_, spec = spec_, revision = revision_] {
                if (auto bucket = connection->bucket(spec); bucket.ok()) {
                    (void)bucket.value()->remove(FleetNames::leaseKey(), revision);
                }
            });
            return;
        }
        leader_ = true;
        epoch_ = outcome.revision;
        armDeadline();
        timer_.start(options_.renewInterval);
        Q_EMIT acquired(epoch_);
        return;
    }
    // Try again at the next interval, or just after the holder's lease would run out.
    auto delay = options_.campaignInterval;
    if (outcome.error.ok() && outcome.expiresIn.count() >= 0) {
        delay = std::min(delay, outcome.expiresIn + 50ms);
    }
    scheduleCampaign(delay);
}

void LeaderLease::renew() {
    auto job = [connection = connection_, spec = spec_, me = connection_->config().instanceId, epoch = epoch_,
                revision = revision_]() -> Outcome {
        Outcome outcome;
        auto bucket = connection->bucket(spec);
        if (!bucket.ok()) {
            outcome.error = bucket.error();
            return outcome;
        }
        auto updated =
            bucket.value()->update(FleetNames::leaseKey(), LeaseRecord{me, epoch}.encode(), revision);
        if (!updated.ok()) {
            outcome.error = updated.error();
            return outcome;
        }
        outcome.won = true;
        outcome.revision = updated.value();
        return outcome;
    };
    QElapsedTimer sentAt;
    sentAt.start();
    inFlight_ = io_->submit(std::move(job), this, [this, sentAt](const Outcome& outcome) {
        if (outcome.won) {
            sinceConfirmed_ = sentAt;
        }
        onRenew(outcome);
    });
    if (!inFlight_) {
        loseLeadership(QStringLiteral("the fleet I/O queue is full"));
        scheduleCampaign(options_.campaignInterval);
    }
}

void LeaderLease::onRenew(const Outcome& outcome) {
    inFlight_ = false;
    if (!leader_) {
        scheduleCampaign(options_.campaignInterval);  // lost meanwhile (deadline, or stepped down)
        return;
    }
    if (!outcome.won) {
        loseLeadership(u"renew failed: " + outcome.error.message);
        scheduleCampaign(options_.campaignInterval);
        return;
    }
    revision_ = outcome.revision;
    armDeadline();
    timer_.start(options_.renewInterval);
}

}  // namespace tai::fleet
