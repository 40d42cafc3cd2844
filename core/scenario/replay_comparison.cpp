#include "scenario/replay_comparison.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTemporaryDir>

namespace tai {

namespace {

// The fields a what-if compares; `line` and ids are the same by construction.
bool sameDecision(const QJsonObject& a, const QJsonObject& b) {
    for (const char* key : {"outcome", "score", "reasons", "breaker", "status", "rolled_back_regions"}) {
        if (a.value(QLatin1String(key)) != b.value(QLatin1String(key))) {
            return false;
        }
    }
    return true;
}

QJsonObject summaryOf(const PolicyDocument& policy, const ReplayReport& r) {
    QJsonObject counts;
    for (int i = 0; i < kPaymentOutcomeCount; ++i) {
        if (r.counts[static_cast<std::size_t>(i)] > 0) {
            counts.insert(toString(static_cast<PaymentOutcome>(i)),
                          static_cast<qint64>(r.counts[static_cast<std::size_t>(i)]));
        }
    }
    QJsonArray tripsAt;
    for (const std::int64_t at : r.breakerTripsAtMs) {
        tripsAt.append(static_cast<qint64>(at));
    }
    return QJsonObject{{QStringLiteral("policy"), policy.version},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("breaker_trips"), static_cast<qint64>(r.breakerTripsAtMs.size())},
                       {QStringLiteral("breaker_trips_at_ms"), tripsAt},
                       {QStringLiteral("deployments"), r.deployments},
                       {QStringLiteral("rollbacks"), r.rollbacks}};
}

QList<QByteArray> linesOf(const QString& path) {
    QFile file(path);
    QList<QByteArray> lines;
    if (file.open(QIODevice::ReadOnly)) {
        while (!file.atEnd()) {
            lines << file.readLine().trimmed();
        }
    }
    return lines;
}

}  // namespace

ReplayComparison compareReplays(const ReplayComparisonOptions& options) {
    ReplayComparison result;
    QTemporaryDir work;
    if (!work.isValid()) {
        result.error = QStringLiteral("cannot create a temporary directory: ") + work.errorString();
        return result;
    }
    QSaveFile output(options.outputPath);  // written whole or not at all
    if (!output.open(QIODevice::WriteOnly)) {
        result.error = options.outputPath + QStringLiteral(": cannot write: ") + output.errorString();
        return result;
    }
    const auto run = [&](const PolicyDocument& policy, const QString& name) {
        ReplayOptions one;
        one.inputPath = options.inputPath;
        one.outputPath = work.filePath(name);
        one.policy = policy;
        one.seed = options.seed;
        return runReplay(one);
    };
    result.a = run(options.policy, QStringLiteral("a.jsonl"));
    if (!result.a.ok) {
        result.error = result.a.error;
        return result;
    }
    result.b = run(options.comparePolicy, QStringLiteral("b.jsonl"));
    if (!result.b.ok) {
        result.error = result.b.error;
        return result;
    }
    const QList<QByteArray> a = linesOf(work.filePath(QStringLiteral("a.jsonl")));
    const QList<QByteArray> b = linesOf(work.filePath(QStringLiteral("b.jsonl")));
    // One line per input line on both sides: the same input was read twice.
    for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i) {
        const QJsonObject left = QJsonDocument::fromJson(a.at(i)).object();
        const QJsonObject right = QJsonDocument::fromJson(b.at(i)).object();
        if (sameDecision(left, right)) {
            continue;
        }
        ++result.differing;
        output.write("{\"line\":" + QByteArray::number(i + 1) + ",\"a\":" + a.at(i) + ",\"b\":" + b.at(i) +
                     "}\n");
    }
    const QJsonObject summary{
        {QStringLiteral("summary"),
         QJsonObject{{QStringLiteral("lines"), result.a.lines},
                     {QStringLiteral("differing"), result.differing},
                     {QStringLiteral("a"), summaryOf(options.policy, result.a)},
                     {QStringLiteral("b"), summaryOf(options.comparePolicy, result.b)}}}};
    output.write(QJsonDocument(summary).toJson(QJsonDocument::Compact) + '\n');
    if (!output.commit()) {
        result.error = options.outputPath + QStringLiteral(": cannot write: ") + output.errorString();
        return result;
    }
    result.lines = result.a.lines;
    result.ok = true;
    return result;
}

}  // namespace tai
