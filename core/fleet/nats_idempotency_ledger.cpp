#include "fleet/nats_idempotency_ledger.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket.h"
#include "fleet/ledger_entry_json.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace tai::fleet {

namespace {

using Kind = FleetError::Kind;

QString newClaimId() {
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 4);
    return QString::fromLatin1(bytes.toHex());
}

ClaimResult unavailable(FleetError error) {
    ClaimResult result;
    result.kind = ClaimResult::Kind::Unavailable;
    result.error = std::move(error);
    return result;
}

LedgerWriteResult written(std::uint64_t revision) {
    LedgerWriteResult result;
    result.kind = LedgerWriteResult::Kind::Written;
    result.revision = revision;
    return result;
}

LedgerWriteResult conflict(std::optional<LedgerEntry> current, QString why) {
    LedgerWriteResult result;
    result.kind = LedgerWriteResult::Kind::Conflict;
    result.current = std::move(current);
    result.error = FleetError::make(Kind::Conflict, std::move(why));
    return result;
}

LedgerWriteResult writeUnavailable(FleetError error) {
    LedgerWriteResult result;
    result.kind = LedgerWriteResult::Kind::Unavailable;
    result.error = std::move(error);
    return result;
}

bool retryable(const FleetError& error) {
    return error.kind == Kind::Conflict || error.kind == Kind::Uncertain;
}

}  // namespace

NatsIdempotencyLedger::NatsIdempotencyLedger(std::shared_ptr<FleetConnection> connection)
    : NatsIdempotencyLedger(std::move(connection), Options{}) {}

NatsIdempotencyLedger::NatsIdempotencyLedger(std::shared_ptr<FleetConnection> connection, Options options)
    : connection_(std::move(connection)), options_(std::move(options)) {
    spec_.name = connection_->names().idempotencyBucket();
    spec_.ttl = options_.ttl;
}

std::int64_t NatsIdempotencyLedger::now() const {
    return options_.nowMs ? options_.nowMs() : QDateTime::currentMSecsSinceEpoch();
}

FleetResult<std::shared_ptr<KvBucket>> NatsIdempotencyLedger::bucket() const {
    return connection_->bucket(spec_);
}

FleetResult<std::optional<LedgerEntry>> NatsIdempotencyLedger::read(KvBucket& bucket,
                                                                    const QString& storageKey) const {
    auto got = bucket.get(storageKey);
    if (!got.ok()) {
        return got.error();
    }
    if (!got.value() || !got.value()->isLive()) {
        return std::optional<LedgerEntry>{};
    }
    return decodeStored(*got.value());
}

FleetResult<std::optional<LedgerEntry>> NatsIdempotencyLedger::decodeStored(const KvEntry& stored) {
    auto entry = decodeLedgerEntry(stored.value, stored.revision);
    if (!entry.ok()) {
        return FleetError::make(Kind::BadData, stored.key + u": " + entry.error().message);
    }
    return std::optional<LedgerEntry>(std::move(entry).value());
}

ClaimResult NatsIdempotencyLedger::claim(const QString& key, const QByteArray& bodyHash) {
    const QString owner = connection_->config().instanceId;
    if (key.isEmpty() || bodyHash.isEmpty() || owner.isEmpty()) {
        return unavailable(FleetError::make(
            Kind::InvalidArgument,
            QStringLiteral("claim: the key, the body hash and this instance's id are required")));
    }
    auto opened = bucket();
    if (!opened.ok()) {
        return unavailable(opened.error());
    }
    KvBucket& store = *opened.value();
    const QString storageKey = FleetNames::idempotencyKey(key);

    LedgerEntry mine;
    mine.key = key;
    mine.state = ClaimState::InFlight;
    mine.bodyHash = bodyHash;
    mine.owner = owner;
    mine.claimId = newClaimId();
    mine.claimedAtMs = now();
    mine.updatedAtMs = mine.claimedAtMs;
    const QByteArray value = encodeLedgerEntry(mine);

    FleetError last;
    for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
        std::optional<KvEntry> found;
        auto created = store.create(storageKey, value, &found);
        if (created.ok()) {
            ClaimResult result;
            result.kind = ClaimResult::Kind::Claimed;
            mine.revision = created.value();
            result.claim = LedgerClaim::from(mine);
            return result;
        }
        last = created.error();
        if (!retryable(last)) {
            return unavailable(last);
        }
        // Exists (read right after the failed create), or our write timed out and may have
        // landed: read before deciding.
        auto current = found ? decodeStored(*found) : read(store, storageKey);
        if (!current.ok()) {
            return unavailable(FleetError::make(
                last.kind == Kind::Uncertain ? Kind::Uncertain : current.error().kind,
                u"claim " + storageKey + u": " + last.message + u"; then " + current.error().message));
        }
        if (!current.value()) {
            continue;  // released or expired in between (or our write did not land): try again
        }
        const LedgerEntry& there = *current.value();
        if (there.claimId == mine.claimId) {
            ClaimResult result;
            result.kind = ClaimResult::Kind::Claimed;  // our timed-out write had landed
            result.claim = LedgerClaim::from(there);
            return result;
        }
        ClaimResult result;
        result.kind = ClaimResult::Kind::Exists;
        result.existing = there;
        return result;
    }
    return unavailable(FleetError::make(last.kind == Kind::Uncertain ? Kind::Uncertain : Kind::Unavailable,
                                        u"claim " + storageKey + u": no decision after " +
                                            QString::number(options_.attempts) + u" attempts (" +
                                            last.message + u')'));
}

LedgerWriteResult NatsIdempotencyLedger::finalize(const LedgerClaim& claim, const QByteArray& response) {
    auto opened = bucket();
    if (!opened.ok()) {
        return writeUnavailable(opened.error());
    }
    KvBucket& store = *opened.value();
    const QString storageKey = FleetNames::idempotencyKey(claim.key);
    LedgerEntry done;
    done.key = claim.key;
    done.state = ClaimState::Done;
    done.bodyHash = claim.bodyHash;
    done.response = response;
    done.owner = claim.owner;
    done.claimId = claim.claimId;
    done.claimedAtMs = claim.claimedAtMs;
    done.updatedAtMs = now();
    const QByteArray value = encodeLedgerEntry(done);

    std::uint64_t revision = claim.revision;
    for (int attempt = 0; attempt < std::max(2, options_.attempts); ++attempt) {
        auto updated = store.update(storageKey, value, revision);
        if (updated.ok()) {
            return written(updated.value());
        }
        if (!retryable(updated.error())) {
            return writeUnavailable(updated.error());
        }
        auto current = read(store, storageKey);
        if (!current.ok()) {
            return writeUnavailable(current.error());
        }
        if (!current.value()) {
            return conflict(std::nullopt,
                            u"finalize " + storageKey + u": the claim is gone (released or expired)");
        }
        const LedgerEntry& there = *current.value();
        if (there.claimId != claim.claimId) {
            return conflict(there, u"finalize " + storageKey + u": claimed by " + there.owner + u" since");
        }
        if (there.state == ClaimState::Done) {
            if (there.response == response) {
                return written(there.revision);  // our earlier attempt landed
            }
            return conflict(there, u"finalize " + storageKey + u": already done with another response");
        }
        revision =
            there.revision;  // in_doubt meanwhile (or our in_flight at a new revision): the owner knows
    }
    return writeUnavailable(
        FleetError::make(Kind::Unavailable, u"finalize " + storageKey + u": kept conflicting"));
}

LedgerWriteResult NatsIdempotencyLedger::release(const LedgerClaim& claim) {
    auto opened = bucket();
    if (!opened.ok()) {
        return writeUnavailable(opened.error());
    }
    KvBucket& store = *opened.value();
    const QString storageKey = FleetNames::idempotencyKey(claim.key);
    std::uint64_t revision = claim.revision;
    for (int attempt = 0; attempt < std::max(2, options_.attempts); ++attempt) {
        auto removed = store.remove(storageKey, revision);
        if (removed.ok()) {
            return written(0);
        }
        if (!retryable(removed.error())) {
            return writeUnavailable(removed.error());
        }
        auto current = read(store, storageKey);
        if (!current.ok()) {
            return writeUnavailable(current.error());
        }
        if (!current.value()) {
            return written(0);  // already free (our earlier delete landed, or it expired)
        }
        const LedgerEntry& there = *current.value();
        if (there.claimId != claim.claimId) {
            return conflict(there, u"release " + storageKey + u": claimed by " + there.owner + u" since");
        }
        if (there.state == ClaimState::Done) {
            return conflict(there,
                            u"release " + storageKey + u": already done; a decided key is never released");
        }
        revision = there.revision;
    }
    return writeUnavailable(
        FleetError::make(Kind::Unavailable, u"release " + storageKey + u": kept conflicting"));
}

FleetResult<std::optional<LedgerEntry>> NatsIdempotencyLedger::lookup(const QString& key) {
    auto opened = bucket();
    if (!opened.ok()) {
        return opened.error();
    }
    return read(*opened.value(), FleetNames::idempotencyKey(key));
}

FleetResult<std::vector<LedgerEntry>> NatsIdempotencyLedger::unsettled(const QString& owner) {
    auto opened = bucket();
    if (!opened.ok()) {
        return opened.error();
    }
    // A scan of the bucket's current values: one pass at restart and on the controller's sweep.
    auto all = opened.value()->entries(QStringLiteral("k.*"));
    if (!all.ok()) {
        return all.error();
    }
    std::vector<LedgerEntry> out;
    for (const KvEntry& stored : all.value()) {
        auto entry = decodeLedgerEntry(stored.value, stored.revision);
        if (!entry.ok()) {
            qWarning("fleet: skipping %s in %s: %s", qUtf8Printable(stored.key), qUtf8Printable(spec_.name),
                     qUtf8Printable(entry.error().message));
            continue;
        }
        if (entry.value().state == ClaimState::Done || (!owner.isEmpty() && entry.value().owner != owner)) {
            continue;
        }
        out.push_back(std::move(entry).value());
    }
    return out;
}

LedgerWriteResult NatsIdempotencyLedger::markInDoubt(const LedgerEntry& seen) {
    if (seen.state != ClaimState::InFlight) {
        return conflict(seen, u"mark in_doubt " + seen.key + u": it is " + claimStateName(seen.state));
    }
    auto opened = bucket();
    if (!opened.ok()) {
        return writeUnavailable(opened.error());
    }
    KvBucket& store = *opened.value();
    const QString storageKey = FleetNames::idempotencyKey(seen.key);
    LedgerEntry doubt = seen;
    doubt.state = ClaimState::InDoubt;
    doubt.updatedAtMs = now();
    auto updated = store.update(storageKey, encodeLedgerEntry(doubt), seen.revision);
    if (updated.ok()) {
        return written(updated.value());
    }
    if (!retryable(updated.error())) {
        return writeUnavailable(updated.error());
    }
    auto current = read(store, storageKey);
    if (!current.ok()) {
        return writeUnavailable(current.error());
    }
    if (current.value() && current.value()->claimId == seen.claimId &&
        current.value()->state == ClaimState::InDoubt && updated.error().kind == Kind::Uncertain) {
        return written(current.value()->revision);  // our write had landed
    }
    return conflict(current.value(), u"mark in_doubt " + storageKey + u": the entry moved on");
}

LedgerWriteResult NatsIdempotencyLedger::resolve(const QString& key, Resolution resolution,
                                                 const QByteArray& response) {
    auto opened = bucket();
    if (!opened.ok()) {
        return writeUnavailable(opened.error());
    }
    KvBucket& store = *opened.value();
    const QString storageKey = FleetNames::idempotencyKey(key);
    auto current = read(store, storageKey);
    if (!current.ok()) {
        return writeUnavailable(current.error());
    }
    if (!current.value()) {
        return conflict(std::nullopt, u"resolve " + key + u": no such key in the ledger");
    }
    const LedgerEntry& there = *current.value();
    if (there.state != ClaimState::InDoubt) {
        return conflict(there,
                        u"resolve " + key + u": it is " + claimStateName(there.state) + u", not in_doubt");
    }
    FleetResult<std::uint64_t> outcome = std::uint64_t{0};
    if (resolution == Resolution::Release) {
        outcome = store.remove(storageKey, there.revision);
    } else {
        LedgerEntry done = there;
        done.state = ClaimState::Done;
        done.response = response;
        done.updatedAtMs = now();
        outcome = store.update(storageKey, encodeLedgerEntry(done), there.revision);
    }
    if (outcome.ok()) {
        return written(resolution == Resolution::Release ? 0 : outcome.value());
    }
    if (outcome.error().kind == Kind::Conflict) {
        auto now = read(store, storageKey);
        return conflict(now.ok() ? now.value() : std::nullopt, u"resolve " + key + u": the entry moved on");
    }
    return writeUnavailable(outcome.error());
}

}  // namespace tai::fleet
