#include "payments/gateway_simulator.h"

#include "base/seeded_random.h"

#include <QStringList>

#include <algorithm>

namespace tai {

QString GatewayFault::describe() const {
    if (!isActive()) {
        return QStringLiteral("none");
    }
    if (down) {
        return QStringLiteral("outage (gateway down)");
    }
    QStringList parts;
    if (errorRate > 0) {
        parts << QStringLiteral("errors %1%").arg(errorRate * 100, 0, 'g', 3);
    }
    if (timeoutRate > 0) {
        parts << QStringLiteral("timeouts %1%").arg(timeoutRate * 100, 0, 'g', 3);
    }
    if (latencyMs > 0 || jitterMs > 0) {
        parts << QStringLiteral("latency %1±%2 ms").arg(latencyMs).arg(jitterMs);
    }
    return parts.join(QStringLiteral(" · "));
}

QString GatewaySimulator::receiptFor(const QString& signalId) const {
    SeededRandom random(seed_, signalId, 3);
    const std::uint64_t value = random.next();
    // "rcpt_" and 16 hex digits, built in one allocation: this runs for every charge.
    static constexpr char16_t kDigits[] = u"0123456789abcdef";
    QString receipt(5 + 16, Qt::Uninitialized);
    QChar* out = receipt.data();
    for (const char16_t c : u"rcpt_") {
        if (c != 0) {
            *out++ = QChar(c);
        }
    }
    for (int i = 0; i < 16; ++i) {
        *out++ = QChar(kDigits[(value >> (60 - 4 * i)) & 0xf]);
    }
    return receipt;
}

GatewayCallResult GatewaySimulator::call(const PaymentSignal& signal) const {
    SeededRandom random(seed_, signal.id, 1);
    const double timeoutDraw = random.uniform();
    const double errorDraw = random.uniform();
    const double jitterDraw = random.uniform();

    GatewayCallResult result;
    const auto& forced = signal.sim;
    if (forced && forced->gateway) {
        result.kind = *forced->gateway == GatewayForcedOutcome::Ok      ? GatewayCallKind::Ok
                      : *forced->gateway == GatewayForcedOutcome::Error ? GatewayCallKind::Error
                                                                        : GatewayCallKind::Timeout;
    } else if (fault_.down) {
        result.kind = GatewayCallKind::Error;
        result.error = QStringLiteral("connection refused (gateway down)");
        return result;  // fails at once
    } else if (timeoutDraw < fault_.timeoutRate) {
        result.kind = GatewayCallKind::Timeout;
    } else if (errorDraw < fault_.errorRate) {
        result.kind = GatewayCallKind::Error;
    }

    if (forced && forced->latencyMs) {
        result.latency = std::chrono::milliseconds(*forced->latencyMs);
    } else {
        const double jitter = (jitterDraw * 2.0 - 1.0) * fault_.jitterMs;
        result.latency = Duration(
            std::max<std::int64_t>(0, static_cast<std::int64_t>((fault_.latencyMs + jitter) * 1000.0)));
    }
    if (result.kind == GatewayCallKind::Ok) {
        result.receiptId = receiptFor(signal.id);
    } else if (result.kind == GatewayCallKind::Error && result.error.isEmpty()) {
        result.error = QStringLiteral("gateway returned an error");
    }
    return result;
}

}  // namespace tai

namespace tai {

GatewaySimulator::~GatewaySimulator() {
    for (const auto& [call, timer] : waiting_) {
        clock_.cancel(timer);
    }
}

void GatewaySimulator::charge(const PaymentSignal& signal, const QString&, std::uint64_t call,
                              GatewayAnswers& answers) {
    const GatewayCallResult result = this->call(signal);
    if (result.kind == GatewayCallKind::Timeout) {
        return;  // it hangs: the pipeline's action timeout ends the call
    }
    if (result.latency <= Duration{0}) {
        answers.gatewayAnswered(call, result);
        return;
    }
    waiting_[call] = clock_.scheduleAfter(result.latency, [this, &answers, call, result] {
        waiting_.erase(call);
        answers.gatewayAnswered(call, result);
    });
}

void GatewaySimulator::cancel(std::uint64_t call) {
    if (const auto it = waiting_.find(call); it != waiting_.end()) {
        clock_.cancel(it->second);
        waiting_.erase(it);
    }
}

}  // namespace tai
