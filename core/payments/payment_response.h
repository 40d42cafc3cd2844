#pragma once

#include "base/clock.h"
#include "jidoka/breaker_types.h"
#include "payments/payment_outcome.h"

#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

namespace tai {

// The answer to one payment signal (§4.3 step 6). A plain value: it crosses threads and is what
// the idempotency store keeps for replays.
struct PaymentResponse {
    PaymentOutcome outcome = PaymentOutcome::Invalid;
    std::optional<PaymentOutcome> original;  // for duplicate: the stored outcome
    QString id;
    QString traceId;
    bool policyRan = false;
    int score = 0;
    std::vector<QString> reasons;
    QString receiptId;
    QString error;       // for invalid and conflict: "field: message"
    QString errorField;  // the field at fault, for invalid and conflict (not stored, not audited)
    Duration processing{0};
    Duration retryAfter{0};                            // for queue_full and circuit_open
    BreakerState breakerAfter = BreakerState::Closed;  // payment-gateway state after this signal
    // Answered before the commit that holds its outcome (issue 14): the outcome is decided, maybe
    // charged, but not yet durable, so the client hears 503 "pending" and retries with its key.
    // Never stored, never audited: only ever a reply.
    bool commitPending = false;

    // The HTTP status: a duplicate answers with its original's status (§10.2).
    int httpStatus() const {
        if (commitPending) {
            return 503;
        }
        return httpStatusFor(outcome == PaymentOutcome::Duplicate && original ? *original : outcome);
    }
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::PaymentResponse)
