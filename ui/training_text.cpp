#include "training_text.h"

#include <cmath>

namespace tai::ui {

namespace {
QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}
QString num(const QJsonObject& o, const char* key) {
    return QString::number(o.value(QLatin1String(key)).toDouble(), 'g', 6);
}
}  // namespace

QString clockText(double seconds) {
    const auto whole = static_cast<long long>(std::floor(seconds));
    return QStringLiteral("T+%1:%2")
        .arg(whole / 60, 2, 10, QLatin1Char('0'))
        .arg(whole % 60, 2, 10, QLatin1Char('0'));
}

QString objectiveText(const QJsonObject& o) {
    const QString kind = str(o, "kind");
    const QString within = o.contains(QStringLiteral("within_s"))
                               ? QStringLiteral(" within %1 s").arg(num(o, "within_s"))
                               : QString();
    if (kind == u"ack_alert") {
        return QStringLiteral("Acknowledge the %1 alert%2 of it firing").arg(str(o, "alert"), within);
    }
    if (kind == u"force_half_open") {
        const QString breaker =
            o.contains(QStringLiteral("breaker")) ? str(o, "breaker") : QStringLiteral("payment-gateway");
        return QStringLiteral("Force %1 half-open once the gateway is stable again%2").arg(breaker, within);
    }
    if (kind == u"rollback") {
        const QString region =
            o.contains(QStringLiteral("region")) ? str(o, "region") : QStringLiteral("the faulty region");
        return QStringLiteral("Roll back %1%2 of its faulty canary").arg(region, within);
    }
    if (kind == u"no_double_charge") {
        return QStringLiteral("Charge no payment twice");
    }
    if (kind == u"max_lost_payments") {
        return QStringLiteral("Lose at most %1 payments (circuit open, gateway failures, shed)")
            .arg(num(o, "max"));
    }
    if (kind == u"command") {
        const QString notBefore =
            o.contains(QStringLiteral("not_before_s"))
                ? QStringLiteral(" from %1")
                      .arg(clockText(o.value(QStringLiteral("not_before_s")).toDouble()))
                : QString();
        return QStringLiteral("Run %1%2%3").arg(str(o, "command"), notBefore, within);
    }
    return kind;
}

QString objectiveResult(const QJsonObject& o, bool final) {
    const bool met = o.value(QStringLiteral("met")).toBool();
    if (met) {
        return o.contains(QStringLiteral("after_s"))
                   ? QStringLiteral("✓ met after %1 s").arg(num(o, "after_s"))
                   : (final ? QStringLiteral("✓ met") : QStringLiteral("✓ so far"));
    }
    if (!final && !o.contains(QStringLiteral("after_s"))) {
        const QString kind = str(o, "kind");
        // Counting objectives can only be lost; the rest are still to do.
        return kind == u"no_double_charge" || kind == u"max_lost_payments" ? QStringLiteral("✗ missed")
                                                                           : QStringLiteral("… to do");
    }
    QString why;
    if (o.contains(QStringLiteral("after_s"))) {
        why = QStringLiteral(" (after %1 s)").arg(num(o, "after_s"));
    } else if (o.contains(QStringLiteral("lost"))) {
        why = QStringLiteral(" (%1 lost)").arg(num(o, "lost"));
    } else if (o.contains(QStringLiteral("double_charged"))) {
        why = QStringLiteral(" (%1 charged twice)").arg(num(o, "double_charged"));
    } else if (o.contains(QStringLiteral("note"))) {
        why = QStringLiteral(" (") + str(o, "note") + QLatin1Char(')');
    }
    return QStringLiteral("✗ not met") + why;
}

QString eventText(const QJsonObject& e) {
    const QString kind = str(e, "kind");
    if (kind == u"breaker_transition") {
        return QStringLiteral("%1: %2 → %3 (%4)%5")
            .arg(str(e, "breaker"), str(e, "from"), str(e, "to"), str(e, "reason"),
                 e.value(QStringLiteral("forced")).toBool() ? QStringLiteral(" forced") : QString());
    }
    if (kind == u"rollout_stage") {
        return QStringLiteral("%1 in %2: %3 (%4 %)")
            .arg(str(e, "deployment"), str(e, "region"), str(e, "stage"), num(e, "weight"));
    }
    if (kind == u"rollback") {
        return QStringLiteral("%1 rolled back in %2: %3")
            .arg(str(e, "deployment"), str(e, "region"), str(e, "reason"));
    }
    if (kind == u"alert") {
        return QStringLiteral("%1 %2 (%3) %4%5")
            .arg(str(e, "severity"), str(e, "rule"), str(e, "subject"), str(e, "state"),
                 e.value(QStringLiteral("silenced")).toBool() ? QStringLiteral(", silenced") : QString());
    }
    if (kind == u"operator") {
        return QStringLiteral("%1: %2 %3%4")
            .arg(str(e, "actor"), str(e, "command"), str(e, "subject"),
                 e.contains(QStringLiteral("error")) ? QStringLiteral(" — refused: ") + str(e, "error")
                                                     : QString());
    }
    if (kind == u"scenario") {
        const QString action = str(e, "do");
        QString what = action;
        if (action == u"gateway.fault") {
            QStringList parts;
            if (e.value(QStringLiteral("down")).toBool())
                parts << QStringLiteral("down");
            if (e.value(QStringLiteral("error_rate")).toDouble() > 0)
                parts << QStringLiteral("errors %1 %")
                             .arg(e.value(QStringLiteral("error_rate")).toDouble() * 100);
            if (e.value(QStringLiteral("timeout_rate")).toDouble() > 0)
                parts << QStringLiteral("timeouts %1 %")
                             .arg(e.value(QStringLiteral("timeout_rate")).toDouble() * 100);
            if (parts.isEmpty())
                parts << QStringLiteral("healthy, latency %1±%2 ms")
                             .arg(num(e, "latency_ms"), num(e, "jitter_ms"));
            what = QStringLiteral("gateway ") + parts.join(QStringLiteral(", "));
        } else if (action == u"traffic") {
            what = QStringLiteral("traffic %1/s, fraudsters %2 %")
                       .arg(num(e, "payments_per_s"))
                       .arg(e.value(QStringLiteral("fraudster_share")).toDouble() * 100);
        } else if (action == u"infra.fault") {
            what = QStringLiteral("infrastructure fault in %1").arg(str(e, "region"));
        } else if (action == u"deploy") {
            what = QStringLiteral("deploy %1 %2").arg(str(e, "service"), str(e, "version"));
        }
        const QString reason = str(e, "reason");
        return what + (reason.isEmpty() ? QString() : QStringLiteral(" — ") + reason) +
               (e.contains(QStringLiteral("error")) ? QStringLiteral(" — refused: ") + str(e, "error")
                                                    : QString());
    }
    return kind;
}

}  // namespace tai::ui
