#pragma once

#include "base/clock.h"
#include "payments/payment_signal.h"

#include <QString>

#include <cstdint>

namespace tai {

enum class GatewayCallKind { Ok, Error, Timeout };

// A gateway's answer to one charge (§4.3 step 4).
struct GatewayCallResult {
    GatewayCallKind kind = GatewayCallKind::Ok;
    Duration latency{0};  // how long the call takes before its answer (or before it hangs)
    QString receiptId;    // for Ok
    QString error;        // for Error
};

// Where a gateway's answers go: the payment pipeline, on the engine thread.
class GatewayAnswers {
public:
    virtual ~GatewayAnswers() = default;
    virtual void gatewayAnswered(std::uint64_t call, const GatewayCallResult& result) = 0;
};

// The action of the payment pipeline (DESIGN.md §4.3, §10.3): the simulator, or a real HTTP
// gateway. A charge is answered through `answers` on the engine thread, exactly once, possibly
// before charge() returns; a gateway may also never answer (it hangs): the pipeline ends the call
// at its action timeout and calls cancel(), after which no answer for that call may arrive.
class PaymentGateway {
public:
    virtual ~PaymentGateway() = default;

    // `call` identifies the charge in the answer. `traceId` travels to a real gateway.
    virtual void charge(const PaymentSignal& signal, const QString& traceId, std::uint64_t call,
                        GatewayAnswers& answers) = 0;
    virtual void cancel(std::uint64_t call) = 0;
    // "simulator" or the gateway's URL, for the console and the logs.
    virtual QString name() const = 0;
};

}  // namespace tai
