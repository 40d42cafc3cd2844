#include "andon/alert_json.h"

#include "base/clock.h"
#include "base/rfc3339.h"

namespace tai {

QJsonObject alertJson(const ActiveAlert& a, std::int64_t nowMs) {
    const auto time = [](std::int64_t ms) {
        return ms > 0 ? QJsonValue(formatRfc3339(fromEpochMs(ms))) : QJsonValue();
    };
    QJsonObject o{{QStringLiteral("key"), a.key},
                  {QStringLiteral("rule"), a.rule},
                  {QStringLiteral("severity"), toString(a.severity)},
                  {QStringLiteral("state"), toString(a.state)},
                  {QStringLiteral("subject"), a.subject},
                  {QStringLiteral("message"), a.message},
                  {QStringLiteral("value"), a.value},
                  {QStringLiteral("threshold"), a.threshold},
                  {QStringLiteral("for_s"), a.forS},
                  {QStringLiteral("event"), a.event},
                  {QStringLiteral("control"), a.control},
                  {QStringLiteral("pending_since"), time(a.raisedAtMs)},
                  {QStringLiteral("firing_since"), time(a.firingAtMs)},
                  {QStringLiteral("resolved_at"), time(a.resolvedAtMs)},
                  {QStringLiteral("silenced"), a.silencedAt(nowMs)},
                  {QStringLiteral("acknowledged"), a.acknowledged}};
    if (a.acknowledged) {
        o.insert(QStringLiteral("ack"), QJsonObject{{QStringLiteral("by"), a.ackBy},
                                                    {QStringLiteral("note"), a.ackNote},
                                                    {QStringLiteral("at"), time(a.ackAtMs)}});
    }
    if (a.silencedAt(nowMs)) {
        o.insert(QStringLiteral("silence"), QJsonObject{{QStringLiteral("by"), a.silencedBy},
                                                        {QStringLiteral("reason"), a.silenceReason},
                                                        {QStringLiteral("until"), time(a.silencedUntilMs)}});
    }
    return o;
}

}  // namespace tai
