#pragma once

#include "andon/andon_board.h"
#include "audit/audit_types.h"
#include "deployments/rollout_types.h"
#include "engine/engine_command.h"
#include "jidoka/breaker_types.h"
#include "payments/payment_response.h"
#include "payments/payment_signal.h"

#include <QByteArray>

namespace tai {

// Watches what the engine does, on the engine thread, as it happens. The scenario runner uses it
// to build its report and audit digest, and to record operator commands (DESIGN.md §9.5, §12).
// Every call runs synchronously inside the engine's own work: keep them short, never block.
class EngineObserver {
public:
    virtual ~EngineObserver() = default;

    // Every audit row the engine writes except decisions, whether or not a store is attached.
    virtual void auditRow(const AuditRow& row) = 0;
    // Every payment decision, including invalid ones; the audit row is decisionAuditJson().
    virtual void decision(const PaymentSignal& signal, const PaymentResponse& response, TimePoint at) = 0;
    virtual void breakerTransition(const BreakerTransition& transition) = 0;
    virtual void rolloutEvent(const RolloutReportEvent& event) = 0;
    virtual void alertTransition(const AlertTransition& transition, TimePoint at) = 0;
    // A command that reached the engine (whatever its result), and a payment submitted from
    // outside (HTTP, the injector), before it is decided. Generated traffic is not "submitted".
    virtual void command(const EngineCommand& command, const CommandResult& result, TimePoint at) = 0;
    virtual void submitted(const QByteArray& json, TimePoint at) = 0;
};

}  // namespace tai
