#include "fleet/idempotency_ledger.h"

namespace tai::fleet {

QString claimStateName(ClaimState state) {
    switch (state) {
        case ClaimState::InFlight:
            return QStringLiteral("in_flight");
        case ClaimState::Done:
            return QStringLiteral("done");
        case ClaimState::InDoubt:
            return QStringLiteral("in_doubt");
    }
    return {};
}

std::optional<ClaimState> claimStateFromString(QStringView text) {
    if (text == u"in_flight") {
        return ClaimState::InFlight;
    }
    if (text == u"done") {
        return ClaimState::Done;
    }
    if (text == u"in_doubt") {
        return ClaimState::InDoubt;
    }
    return std::nullopt;
}

ExistingVerdict verdictFor(const LedgerEntry& existing, const QByteArray& bodyHash) {
    if (existing.bodyHash != bodyHash) {
        return ExistingVerdict::BodyMismatch;
    }
    switch (existing.state) {
        case ClaimState::Done:
            return ExistingVerdict::Duplicate;
        case ClaimState::InFlight:
            return ExistingVerdict::StillProcessing;
        case ClaimState::InDoubt:
            return ExistingVerdict::InDoubt;
    }
    return ExistingVerdict::StillProcessing;
}

}  // namespace tai::fleet
