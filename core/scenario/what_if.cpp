#include "scenario/what_if.h"

#include "base/virtual_clock.h"
#include "engine/engine.h"
#include "payments/gateway_simulator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace tai {

namespace {

struct FaultChange {
    double atS = 0;
    GatewayFault fault;
};

GatewayFault faultOf(const QJsonObject& e) {
    GatewayFault f;
    f.errorRate = e.value(QStringLiteral("error_rate")).toDouble(0);
    f.timeoutRate = e.value(QStringLiteral("timeout_rate")).toDouble(0);
    f.latencyMs = e.value(QStringLiteral("latency_ms")).toInt(0);
    f.jitterMs = e.value(QStringLiteral("jitter_ms")).toInt(0);
    f.down = e.value(QStringLiteral("down")).toBool(false);
    return f;
}

// The gateway fault over time, in the order the session applied it: a change at its at_s, and a
// healthy gateway again after its for_s.
std::vector<FaultChange> faultTimeline(const QJsonArray& events) {
    std::vector<FaultChange> changes;
    for (const QJsonValue& v : events) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("do")).toString() != u"gateway.fault") {
            continue;
        }
        const double at = e.value(QStringLiteral("at_s")).toDouble();
        changes.push_back({at, faultOf(e)});
        if (e.contains(QStringLiteral("for_s"))) {
            changes.push_back({at + e.value(QStringLiteral("for_s")).toDouble(), GatewayFault{}});
        }
    }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const FaultChange& a, const FaultChange& b) { return a.atS < b.atS; });
    return changes;
}

QString gatewayWord(GatewayCallKind kind) {
    switch (kind) {
        case GatewayCallKind::Ok:
            return QStringLiteral("ok");
        case GatewayCallKind::Error:
            return QStringLiteral("error");
        case GatewayCallKind::Timeout:
            return QStringLiteral("timeout");
    }
    return QStringLiteral("ok");
}

void appendLine(QByteArray& out, const QJsonObject& line) {
    out += QJsonDocument(line).toJson(QJsonDocument::Compact);
    out += '\n';
}

}  // namespace

WhatIfInput whatIfInput(const std::vector<AuditRecord>& decisions, const QJsonObject& sessionFile,
                        std::uint64_t seed, TimePoint start) {
    const QJsonArray events = sessionFile.value(QStringLiteral("events")).toArray();
    const std::vector<FaultChange> faults = faultTimeline(events);
    const std::int64_t startMs = toEpochMs(start);

    // Deployment requests go in at their time, between the payments.
    struct Line {
        std::int64_t atMs;
        int order;
        QJsonObject json;
    };
    std::vector<Line> lines;
    WhatIfInput input;
    for (const QJsonValue& v : events) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("do")).toString() != u"deploy") {
            continue;
        }
        QJsonObject line{{QStringLiteral("type"), QStringLiteral("deployment")}};
        for (const char* key :
             {"service", "version", "regions", "requested_by", "change_ticket", "id", "initial"}) {
            if (e.contains(QLatin1String(key))) {
                line.insert(QLatin1String(key), e.value(QLatin1String(key)));
            }
        }
        const auto atMs =
            startMs + static_cast<std::int64_t>(e.value(QStringLiteral("at_s")).toDouble() * 1000);
        line.insert(QStringLiteral("timestamp"), static_cast<qint64>(atMs));
        lines.push_back({atMs, 0, line});
        ++input.deployments;
    }

    VirtualClock clock{start};
    GatewaySimulator gateway(seed, clock);
    std::vector<const AuditRecord*> ordered;
    for (const AuditRecord& r : decisions) {
        if (r.row.kind == u"decision") {
            ordered.push_back(&r);
        }
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const AuditRecord* a, const AuditRecord* b) {
        return a->row.atMs != b->row.atMs ? a->row.atMs < b->row.atMs : a->seq < b->seq;
    });
    std::size_t nextFault = 0;
    for (const AuditRecord* r : ordered) {
        const QJsonObject d = QJsonDocument::fromJson(r->row.payload).object();
        if (!d.contains(QStringLiteral("customer_id"))) {
            ++input.skipped;  // refused before it was a payment (invalid): nothing to replay
            continue;
        }
        const double atS = static_cast<double>(r->row.atMs - startMs) / 1000.0;
        while (nextFault < faults.size() && faults[nextFault].atS <= atS) {
            gateway.setFault(faults[nextFault++].fault);
        }
        PaymentSignal signal;
        signal.id = d.value(QStringLiteral("id")).toString();
        const GatewayCallResult answer = gateway.call(signal);
        QJsonObject sim{{QStringLiteral("gateway"), gatewayWord(answer.kind)}};
        const auto latencyMs = std::chrono::duration_cast<std::chrono::milliseconds>(answer.latency).count();
        if (latencyMs > 0) {
            sim.insert(QStringLiteral("latency_ms"), static_cast<qint64>(latencyMs));
        }
        QJsonObject line{{QStringLiteral("type"), QStringLiteral("payment")},
                         {QStringLiteral("timestamp"), static_cast<qint64>(r->row.atMs)},
                         {QStringLiteral("sim"), sim}};
        for (const char* key :
             {"id", "customer_id", "merchant_id", "amount", "currency", "idempotency_key"}) {
            if (d.contains(QLatin1String(key))) {
                line.insert(QLatin1String(key), d.value(QLatin1String(key)));
            }
        }
        lines.push_back({r->row.atMs, 1, line});
        ++input.payments;
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return a.atMs != b.atMs ? a.atMs < b.atMs : a.order < b.order;
    });
    for (const Line& line : lines) {
        appendLine(input.jsonl, line.json);
    }
    return input;
}

WhatIfRun runWhatIf(const Engine& engine, const QByteArray& sessionFile, std::uint64_t seed, TimePoint start,
                    const PolicyDocument& runPolicy, const PolicyDocument& other, const QString& workDir) {
    WhatIfRun run;
    std::vector<AuditRecord> decisions;
    AuditQuery query;
    query.kinds = {QStringLiteral("decision")};
    query.fromMs = toEpochMs(start);
    query.limit = 100'000;
    for (;;) {
        AuditPage page = engine.queryAudit(query).result();
        if (!page.error.isEmpty()) {
            run.error = QStringLiteral("cannot read the run's audit trail: ") + page.error;
            return run;
        }
        if (page.records.empty()) {
            break;
        }
        query.afterSeq = page.records.back().seq;
        decisions.insert(decisions.end(), std::make_move_iterator(page.records.begin()),
                         std::make_move_iterator(page.records.end()));
    }
    const WhatIfInput input =
        whatIfInput(decisions, QJsonDocument::fromJson(sessionFile).object(), seed, start);
    decisions.clear();
    run.payments = input.payments;
    run.deployments = input.deployments;
    run.skipped = input.skipped;
    if (input.payments + input.deployments == 0) {
        run.error = QStringLiteral("the run's audit trail holds no payment or deployment to replay");
        return run;
    }
    const QDir dir(workDir);
    QSaveFile file(dir.filePath(QStringLiteral("what-if-input.jsonl")));
    if (!file.open(QIODevice::WriteOnly) || file.write(input.jsonl) != input.jsonl.size() || !file.commit()) {
        run.error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return run;
    }
    ReplayComparisonOptions options;
    options.inputPath = dir.filePath(QStringLiteral("what-if-input.jsonl"));
    options.outputPath = dir.filePath(QStringLiteral("what-if-diff.jsonl"));
    options.policy = runPolicy;
    options.comparePolicy = other;
    options.seed = seed;
    run.comparison = compareReplays(options);
    if (!run.comparison.ok) {
        run.error = run.comparison.error;
        return run;
    }
    run.diffPath = options.outputPath;
    QFile diff(options.outputPath);
    if (diff.open(QIODevice::ReadOnly)) {
        while (!diff.atEnd() && static_cast<int>(run.differing.size()) < kWhatIfShown) {
            const QJsonObject line = QJsonDocument::fromJson(diff.readLine()).object();
            if (line.contains(QStringLiteral("line"))) {
                run.differing.push_back(line);
            }
        }
    }
    return run;
}

}  // namespace tai
