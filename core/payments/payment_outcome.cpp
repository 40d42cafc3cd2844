#include "payments/payment_outcome.h"

namespace tai {

QString toString(PaymentOutcome outcome) {
    switch (outcome) {
        case PaymentOutcome::Charged:
            return QStringLiteral("charged");
        case PaymentOutcome::Rejected:
            return QStringLiteral("rejected");
        case PaymentOutcome::QueueFull:
            return QStringLiteral("queue_full");
        case PaymentOutcome::CircuitOpen:
            return QStringLiteral("circuit_open");
        case PaymentOutcome::GatewayError:
            return QStringLiteral("gateway_error");
        case PaymentOutcome::GatewayTimeout:
            return QStringLiteral("gateway_timeout");
        case PaymentOutcome::Invalid:
            return QStringLiteral("invalid");
        case PaymentOutcome::Duplicate:
            return QStringLiteral("duplicate");
        case PaymentOutcome::IdempotencyConflict:
            return QStringLiteral("idempotency_conflict");
    }
    return {};
}

std::optional<PaymentOutcome> paymentOutcomeFromString(QStringView text) {
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        const auto outcome = static_cast<PaymentOutcome>(i);
        if (toString(outcome) == text) {
            return outcome;
        }
    }
    return std::nullopt;
}

int httpStatusFor(PaymentOutcome outcome) {
    switch (outcome) {
        case PaymentOutcome::Charged:
            return 200;
        case PaymentOutcome::Rejected:
            return 402;
        case PaymentOutcome::Invalid:
            return 400;
        case PaymentOutcome::IdempotencyConflict:
            return 409;
        case PaymentOutcome::QueueFull:
            return 429;
        case PaymentOutcome::GatewayError:
            return 502;
        case PaymentOutcome::CircuitOpen:
            return 503;
        case PaymentOutcome::GatewayTimeout:
            return 504;
        case PaymentOutcome::Duplicate:
            return 200;  // callers use the original's status
    }
    return 500;
}

bool isStoredForIdempotency(PaymentOutcome outcome) {
    return outcome == PaymentOutcome::Charged || outcome == PaymentOutcome::Rejected ||
           outcome == PaymentOutcome::GatewayError || outcome == PaymentOutcome::GatewayTimeout;
}

}  // namespace tai
