#include "deployments/deployment_trace.h"

#include "base/seeded_random.h"

namespace tai {

QString DeploymentTrace::tag(QStringView key) const {
    if (key == u"deployment") {
        return facts_.deployment;
    }
    if (key == u"service") {
        return facts_.service;
    }
    if (key == u"outcome") {
        return facts_.status;
    }
    return {};
}

QJsonObject DeploymentTrace::summary() const {
    return QJsonObject{{QStringLiteral("deployment_id"), facts_.deployment},
                       {QStringLiteral("service"), facts_.service},
                       {QStringLiteral("version"), facts_.version},
                       {QStringLiteral("outcome"), facts_.status},
                       {QStringLiteral("actions"), static_cast<qint64>(facts_.actions.size())}};
}

std::vector<Span> DeploymentTrace::spans() const {
    std::vector<Span> out;
    // Ids from the trace id and the action's place, so each span keeps its id as the trace grows.
    const std::uint64_t base = SeededRandom::hash(traceId());
    const std::uint64_t rootId = SeededRandom(base, QStringView(u"deployment"), 0).next() | 1u;
    if (facts_.includeRoot) {
        Span root;
        root.name = QStringLiteral("deploy ") + facts_.service + QLatin1Char(' ') + facts_.version;
        root.spanId = rootId;
        root.start = start();
        root.end = end();
        root.error =
            facts_.status == u"failed" || facts_.status == u"rolled_back" || facts_.status == u"aborted";
        root.attributes = {SpanAttribute{QStringLiteral("tai.deployment.id"), facts_.deployment},
                           SpanAttribute{QStringLiteral("tai.deployment.service"), facts_.service},
                           SpanAttribute{QStringLiteral("tai.deployment.version"), facts_.version},
                           SpanAttribute{QStringLiteral("tai.deployment.requested_by"), facts_.requestedBy},
                           SpanAttribute{QStringLiteral("tai.deployment.status"), facts_.status}};
        out.push_back(std::move(root));
    }
    for (const DeploymentActionRecord& a : facts_.actions) {
        Span span;
        span.name = a.action;
        span.spanId =
            SeededRandom(base, QString(a.region + QLatin1Char('/') + a.stage + QLatin1Char('/') + a.action),
                         static_cast<std::uint64_t>(toEpochMs(a.started)))
                .next() |
            1u;
        span.parentId = rootId;
        span.start = a.started;
        span.end = std::max(a.started, a.finished);
        span.error = !a.ok;
        span.attributes = {SpanAttribute{QStringLiteral("tai.deployment.region"), a.region},
                           SpanAttribute{QStringLiteral("tai.deployment.stage"), a.stage},
                           SpanAttribute{QStringLiteral("tai.deployment.action"), a.action},
                           SpanAttribute{QStringLiteral("tai.deployment.outcome"),
                                         a.ok ? QStringLiteral("ok") : QStringLiteral("failed")}};
        if (!a.error.isEmpty()) {
            span.attributes.push_back(
                {a.ok ? QStringLiteral("tai.deployment.reason") : QStringLiteral("error.message"), a.error});
        }
        out.push_back(std::move(span));
    }
    return out;
}

}  // namespace tai
