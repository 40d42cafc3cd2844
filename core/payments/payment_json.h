#pragma once

#include "payments/payment_response.h"
#include "payments/payment_signal.h"

#include <QByteArray>

#include <optional>

namespace tai {

// The response body of POST /v1/payments (§4.3 step 6), also how idempotency records are stored.
QByteArray paymentResponseJson(const PaymentResponse& response);
std::optional<PaymentResponse> paymentResponseFromJson(const QByteArray& json);

// The audit payload of one decision: the response plus what the payment was.
QByteArray decisionAuditJson(const PaymentSignal& signal, const PaymentResponse& response);

}  // namespace tai
