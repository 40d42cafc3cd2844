#pragma once

#include "base/clock.h"
#include "payments/payment_gateway.h"
#include "payments/payment_signal.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <unordered_map>

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

// Simulated payment gateway (§8). Outcomes are drawn from a PRNG keyed by (seed, signal id), so
// they do not depend on thread interleaving. A signal's "sim" block overrides the draw. Answers
// come on the injected clock: at once for zero latency, after the latency otherwise; a simulated
// timeout never answers, like a gateway that hangs.
class GatewaySimulator final : public PaymentGateway {
public:
    GatewaySimulator(std::uint64_t seed, Clock& clock) : seed_(seed), clock_(clock) {}
    ~GatewaySimulator() override;
    GatewaySimulator(const GatewaySimulator&) = delete;
    GatewaySimulator& operator=(const GatewaySimulator&) = delete;

    void setFault(const GatewayFault& fault) { fault_ = fault; }
    const GatewayFault& fault() const { return fault_; }

    // The outcome a charge of `signal` gets now, without the wait.
    GatewayCallResult call(const PaymentSignal& signal) const;

    void charge(const PaymentSignal& signal, const QString& traceId, std::uint64_t call,
                GatewayAnswers& answers) override;
    void cancel(std::uint64_t call) override;
    QString name() const override { return QStringLiteral("simulator"); }

private:
    QString receiptFor(const QString& signalId) const;

    std::uint64_t seed_;
    Clock& clock_;
    GatewayFault fault_;
    std::unordered_map<std::uint64_t, TimerId> waiting_;  // delayed answers, by call
};

}  // namespace tai

Q_DECLARE_METATYPE(tai::GatewayFault)
