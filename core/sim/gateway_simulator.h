#pragma once

#include "signal/payment_signal.h"
#include "sim/clock.h"

#include <QMetaType>
#include <QString>

#include <cstdint>

namespace tai {

// The Toxiproxy-like fault model of §8 for the payment gateway.
struct GatewayFault {
    int latencyMs = 0;
    int jitterMs = 0;
    double errorRate = 0;
    double timeoutRate = 0;
    bool down = false;

    bool isActive() const {
        return latencyMs > 0 || jitterMs > 0 || errorRate > 0 || timeoutRate > 0 || down;
    }
    QString describe() const;  // "none", "outage", "errors 30% · latency 200±50 ms", …
    bool operator==(const GatewayFault&) const = default;
};

enum class GatewayCallKind { Ok, Error, Timeout };

struct GatewayCallResult {
    GatewayCallKind kind = GatewayCallKind::Ok;
    Duration latency{0};  // how long the call takes before its answer (or before it hangs)
    QString receiptId;    // for Ok
    QString error;        // for Error
};

// Simulated payment gateway. Outcomes are drawn from a PRNG keyed by (seed, signal id), so they
// do not depend on thread interleaving. A signal's "sim" block overrides the draw.
class GatewaySimulator {
public:
    explicit GatewaySimulator(std::uint64_t seed) : seed_(seed) {}

    void setFault(const GatewayFault& fault) { fault_ = fault; }
    const GatewayFault& fault() const { return fault_; }

    GatewayCallResult call(const PaymentSignal& signal) const;

private:
    QString receiptFor(const QString& signalId) const;

    std::uint64_t seed_;
    GatewayFault fault_;
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::GatewayFault)
