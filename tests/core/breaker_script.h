#pragma once
// A small script language for circuit breaker tests, so each spec table row reads as the calls
// and clock moves it describes.
//
// Words: F (a call that fails), S (a call that succeeds), F*5 (five of them), S@1500ms (a call
// that succeeds after 1500 ms; F@… likewise), +30s (advance the clock), hold (admit a call and
// keep it in flight), ok#i / fail#i (finish held call i), deny (the next call must fail fast),
// forceOpen, forceHalfOpen, forceClosed, metricsOnly, disable, release.
#include "base/virtual_clock.h"
#include "engine/policy_document.h"
#include "jidoka/circuit_breaker.h"

#include <QStringList>

#include <vector>

namespace tai::test {

// A `payments.breaker` block of a policy file, as the breaker's configuration: the tables then
// read like the policy files an operator writes. Empty: the defaults.
inline BreakerConfig breakerConfig(const QString& json, QString* error = nullptr) {
    if (json.isEmpty()) {
        return {};
    }
    const PolicyLoadResult loaded =
        parsePolicy(QStringLiteral(R"({"payments":{"breaker":%1}})").arg(json).toUtf8());
    if (error != nullptr) {
        *error = loaded.errors.join(QLatin1Char('\n'));
    }
    return loaded.policy.payments.breaker;
}

// "from->to: reason", with ! for forced, ~ for a shadow (metrics-only) move and the operator
// state in brackets when it is metrics_only or disabled.
inline QString describe(const BreakerTransition& t) {
    const bool shadowing = t.operatorState == BreakerOperatorState::MetricsOnly ||
                           t.operatorState == BreakerOperatorState::Disabled;
    return toString(t.from) + QStringLiteral("->") + toString(t.to) +
           (t.forced ? QStringLiteral("!") : QString()) + (t.shadow ? QStringLiteral("~") : QString()) +
           (shadowing && !t.shadow ? QStringLiteral(" [") + toString(t.operatorState) + QLatin1Char(']')
                                   : QString()) +
           QStringLiteral(": ") + t.reason;
}

struct BreakerScript {
    explicit BreakerScript(const BreakerConfig& config = {})
        : breaker(QStringLiteral("payment-gateway"), config, clock) {
        breaker.setTransitionListener([this](const BreakerTransition& t) { events << describe(t); });
    }

    VirtualClock clock{TimePoint{std::chrono::seconds(1'000'000)}};
    CircuitBreaker breaker;
    std::vector<BreakerPermit> held;
    QStringList events;

    bool run(const QString& script, QString& why) {
        for (const QString& word : script.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            int times = 1;
            QString op = word;
            if (word.contains(QLatin1Char('*'))) {
                op = word.section(QLatin1Char('*'), 0, 0);
                times = word.section(QLatin1Char('*'), 1).toInt();
            }
            Duration took{0};
            if (op.contains(QLatin1Char('@'))) {
                took = std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(
                    op.section(QLatin1Char('@'), 1).chopped(2).toDouble()));
                op = op.section(QLatin1Char('@'), 0, 0);
            }
            for (int i = 0; i < times; ++i) {
                if (!step(word, op, took, why)) {
                    return false;
                }
            }
        }
        return true;
    }

private:
    bool step(const QString& word, const QString& op, Duration took, QString& why) {
        if (op == u"F" || op == u"S") {
            const BreakerPermit permit = breaker.tryAcquire();
            if (!permit.allowed) {
                why = word + QStringLiteral(": call was not admitted");
                return false;
            }
            op == u"F" ? breaker.onFailure(permit, took) : breaker.onSuccess(permit, took);
        } else if (op.startsWith(QLatin1Char('+'))) {
            clock.advanceBy(std::chrono::seconds(op.mid(1).chopped(1).toInt()));
        } else if (op == u"hold") {
            held.push_back(breaker.tryAcquire());
            if (!held.back().allowed) {
                why = QStringLiteral("hold: call was not admitted");
                return false;
            }
        } else if (op.startsWith(u"ok#") || op.startsWith(u"fail#")) {
            const auto& permit = held.at(static_cast<std::size_t>(op.section(QLatin1Char('#'), 1).toInt()));
            op.startsWith(u"ok") ? breaker.onSuccess(permit) : breaker.onFailure(permit);
        } else if (op == u"deny") {
            if (breaker.tryAcquire().allowed) {
                why = QStringLiteral("deny: call was admitted");
                return false;
            }
        } else if (op == u"forceOpen") {
            breaker.forceOpen(QStringLiteral("test"));
        } else if (op == u"forceHalfOpen") {
            breaker.forceHalfOpen(QStringLiteral("test"));
        } else if (op == u"forceClosed") {
            breaker.forceClosed(QStringLiteral("test"));
        } else if (op == u"metricsOnly") {
            breaker.metricsOnly(QStringLiteral("test"));
        } else if (op == u"disable") {
            breaker.disable(QStringLiteral("test"));
        } else if (op == u"release") {
            breaker.release(QStringLiteral("test"));
        } else {
            why = QStringLiteral("unknown script word ") + word;
            return false;
        }
        return true;
    }
};

}  // namespace tai::test
