#pragma once

#include "trace/span.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace tai {

// A kept trace (§12) as the store holds it, whatever system recorded it: its id and times, and the
// facts it was recorded from. Recording keeps only the facts; the span tree is drawn from them
// when someone looks, so a kept trace costs little on the hot path. Immutable once handed to the
// store, and read from any thread.
class KeptTrace {
public:
    KeptTrace(QString traceId, TimePoint start, TimePoint end)
        : traceId_(std::move(traceId)), start_(start), end_(end) {}
    virtual ~KeptTrace() = default;

    const QString& traceId() const { return traceId_; }
    TimePoint start() const { return start_; }
    TimePoint end() const { return end_; }

    // "payments", "deployments".
    virtual QString system() const = 0;
    // A searchable fact ("customer", "outcome", "service"); empty when this trace has none.
    virtual QString tag(QStringView key) const = 0;
    // The list entry: what the trace is about (for a payment: its id, customer and outcome).
    virtual QJsonObject summary() const = 0;
    // The facts behind a decision ("Why was this blocked?"); empty when there are none.
    virtual QJsonObject why() const { return {}; }
    // The span tree, root first. Span ids are derived from the trace id, so they are stable.
    virtual std::vector<Span> spans() const = 0;

private:
    QString traceId_;
    TimePoint start_;
    TimePoint end_;
};

}  // namespace tai
