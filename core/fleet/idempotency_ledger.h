#pragma once

#include "fleet/fleet_error.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace tai::fleet {

// Where a claimed idempotency key stands (FLEET.md §14.2).
enum class ClaimState {
    InFlight,  // claimed; the decision is not written yet
    Done,      // decided; the stored response answers every retry with the same body
    InDoubt,   // the owner went quiet past the action timeout: an operator must resolve it
};
QString claimStateName(ClaimState state);
std::optional<ClaimState> claimStateFromString(QStringView text);

// One key's ledger entry, as stored.
struct LedgerEntry {
    QString key;  // the idempotency key as the client sent it
    ClaimState state = ClaimState::InFlight;
    QByteArray bodyHash;  // the canonical body hash of the claiming request
    QByteArray response;  // the stored response (Done, or an in_doubt resolved as charged)
    QString owner;        // the instance that claimed it
    QString claimId;      // unique per claim attempt: tells our own landed write from another's
    std::int64_t claimedAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::uint64_t revision = 0;  // for compare-and-swap; meaningful to the ledger that returned it
};

// Proof of a won claim, handed back to finalize() or release().
struct LedgerClaim {
    QString key;
    QByteArray bodyHash;
    QString owner;
    QString claimId;
    std::int64_t claimedAtMs = 0;
    std::uint64_t revision = 0;

    static LedgerClaim from(const LedgerEntry& entry) {
        return {entry.key, entry.bodyHash, entry.owner, entry.claimId, entry.claimedAtMs, entry.revision};
    }
};

struct ClaimResult {
    enum class Kind {
        Claimed,      // ours: go on to policy, queue, gateway
        Exists,       // someone claimed it first: see verdictFor(existing, bodyHash)
        Unavailable,  // the ledger cannot be reached: answer circuit_open, nothing is stored
    };
    Kind kind = Kind::Unavailable;
    LedgerClaim claim;     // Claimed
    LedgerEntry existing;  // Exists
    FleetError error;      // Unavailable
};

struct LedgerWriteResult {
    enum class Kind {
        Written,      // done (also when an earlier attempt of ours had landed)
        Conflict,     // the entry is not what this write expected; `current` says what it is
        Unavailable,  // nothing known to be written; retry later (restart reconciliation does)
    };
    Kind kind = Kind::Unavailable;
    std::uint64_t revision = 0;          // Written: the new revision (0 after a release)
    std::optional<LedgerEntry> current;  // Conflict: the entry now, or nullopt when there is none
    FleetError error;
};

// What a retry of an existing key gets (§4.4 with §14.2).
enum class ExistingVerdict {
    Duplicate,        // done with the same body: answer the stored response
    BodyMismatch,     // another body under the same key: 409 conflict
    StillProcessing,  // in flight: 409 "still being processed"
    InDoubt,          // waiting for an operator: 409 until resolved
};
ExistingVerdict verdictFor(const LedgerEntry& existing, const QByteArray& bodyHash);

enum class Resolution {
    Release,   // never charged: the key is free again
    MarkDone,  // charged: store this response for every retry
};

// The idempotency ledger shared by the instances of a fleet (or, behind the same interface, the
// local SQLite store of a single instance). Calls block for one or two round trips at most: run
// them off the GUI thread (FleetIoThread). Claims belong to the instance that made them.
class IdempotencyLedger {
public:
    virtual ~IdempotencyLedger() = default;

    // Claims `key` for this instance. A write that timed out may have landed: the ledger re-reads
    // before it answers, so Claimed and Exists are decisions, never guesses.
    virtual ClaimResult claim(const QString& key, const QByteArray& bodyHash) = 0;
    // Stores the decision's response. Also completes a claim an operator's controller marked
    // in_doubt meanwhile: the owner knows what happened.
    virtual LedgerWriteResult finalize(const LedgerClaim& claim, const QByteArray& response) = 0;
    // Frees the key (queue_full, circuit_open, or a claim never decided). Never frees a Done entry.
    virtual LedgerWriteResult release(const LedgerClaim& claim) = 0;

    virtual FleetResult<std::optional<LedgerEntry>> lookup(const QString& key) = 0;
    // The in_flight and in_doubt entries, of `owner` only unless it is empty (restart
    // reconciliation, the controller's sweep for stale claims).
    virtual FleetResult<std::vector<LedgerEntry>> unsettled(const QString& owner) = 0;
    // In flight → in_doubt, only if the entry is still at `seen.revision`.
    virtual LedgerWriteResult markInDoubt(const LedgerEntry& seen) = 0;
    // An operator's answer for an in_doubt key.
    virtual LedgerWriteResult resolve(const QString& key, Resolution resolution,
                                      const QByteArray& response) = 0;
};

}  // namespace tai::fleet
