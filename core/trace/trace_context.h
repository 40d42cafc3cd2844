#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

namespace tai {

// The HTTP request a signal arrived on, for its SERVER span (OpenTelemetry HTTP semantic
// conventions). Only signals that came over HTTP have one. The request's own bytes are kept
// (shared, not copied): they become attribute text only if the trace is kept and looked at.
struct HttpServerCall {
    QByteArray method;  // "POST"
    QString route;      // the route's template: "/v1/payments"
    QString path;       // as requested
    QByteArray userAgent;
    QByteArray peer;  // the client, "127.0.0.1:40522" or "[::1]:40522"
};

// A W3C traceparent (https://www.w3.org/TR/trace-context/#traceparent-header), version 00.
struct TraceParent {
    QString traceId;           // 32 lowercase hex, not all zero
    std::uint64_t spanId = 0;  // the caller's span, not zero
    bool sampled = false;      // flags bit 0: the caller records this trace
};

// Nullopt for anything that is not a valid traceparent (then a new trace starts).
std::optional<TraceParent> parseTraceparent(QByteArrayView header);
QByteArray formatTraceparent(const QString& traceId, std::uint64_t spanId, bool sampled);

// Where a signal's trace comes from. Built implicitly from a trace id for signals started inside
// the process (generated load, replays, the console's injector): no caller, no HTTP request.
struct TraceContext {
    enum class Parent { None, Sampled, NotSampled };

    TraceContext() = default;
    TraceContext(QString id) : traceId(std::move(id)) {}  // NOLINT(google-explicit-constructor)
    explicit TraceContext(const TraceParent& parent)
        : traceId(parent.traceId),
          parentSpanId(parent.spanId),
          parent(parent.sampled ? Parent::Sampled : Parent::NotSampled) {}

    QString traceId;                 // empty: start a new trace
    std::uint64_t parentSpanId = 0;  // the caller's span: the root's parentSpanId
    // ParentBased sampling: a caller that records the trace has it recorded here too (whatever the
    // local sampler says); one that does not, does not.
    Parent parent = Parent::None;
    std::shared_ptr<const HttpServerCall> http;
};

}  // namespace tai
