#include "scenario/replay_runner.h"

#include "base/identifiers.h"
#include "base/json_text.h"
#include "base/virtual_clock.h"
#include "payments/gateway_simulator.h"
#include "payments/idempotency_store.h"
#include "payments/payment_pipeline.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <optional>
#include <vector>

namespace tai {

namespace {

// {"line":N,"id":…,"outcome":…,"score":…,"reasons":[…],"breaker":…,"error":…,"original":…}
QByteArray decisionLine(int line, const std::optional<QString>& id, const PaymentResponse& r) {
    QByteArray out;
    out.reserve(160);
    out += "{\"line\":";
    out += QByteArray::number(line);
    out += ",\"id\":";
    if (id) {
        appendJsonString(out, *id);
    } else {
        out += "null";
    }
    out += ",\"outcome\":";
    appendJsonString(out, toString(r.outcome));
    if (r.policyRan) {
        out += ",\"score\":";
        out += QByteArray::number(r.score);
        out += ",\"reasons\":[";
        for (std::size_t i = 0; i < r.reasons.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            appendJsonString(out, r.reasons[i]);
        }
        out += ']';
    }
    out += ",\"breaker\":";
    appendJsonString(out, toString(r.breakerAfter));
    if (r.outcome == PaymentOutcome::Invalid) {
        out += ",\"error\":";
        appendJsonString(out, r.error);
    }
    if (r.outcome == PaymentOutcome::Duplicate && r.original) {
        out += ",\"original\":";
        appendJsonString(out, toString(*r.original));
    }
    out += '}';
    return out;
}

struct LineInput {
    std::optional<PaymentSignal> signal;
    std::optional<QString> id;  // as given, for invalid lines
    QString error;
};

LineInput readLine(const QByteArray& raw) {
    LineInput input;
    if (raw.size() > kMaxSignalBytes) {
        input.error = QStringLiteral("signal is larger than 64 KiB");
        return input;
    }
    if (raw.trimmed().isEmpty()) {
        input.error = QStringLiteral("empty line");
        return input;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        input.error =
            QStringLiteral("not valid JSON (") + describeJsonError(raw, parseError) + QLatin1Char(')');
        return input;
    }
    if (!document.isObject()) {
        input.error = QStringLiteral("signal must be a JSON object");
        return input;
    }
    const QJsonObject object = document.object();
    const QJsonValue givenId = object.value(QStringLiteral("id"));
    if (givenId.isString() && givenId.toString().toUcs4().size() <= 64) {
        input.id = givenId.toString();
    }
    const QJsonValue type = object.value(QStringLiteral("type"));
    if (!type.isString()) {
        input.error = QStringLiteral("type: required, \"payment\" or \"deployment\"");
        return input;
    }
    if (type.toString() == u"deployment") {
        input.error = QStringLiteral("type: deployment signals are not replayed by this version");
        return input;
    }
    if (type.toString() != u"payment") {
        input.error = QStringLiteral("type: must be \"payment\" or \"deployment\"");
        return input;
    }
    ParsedPayment parsed = parsePaymentSignal(object);
    if (auto* error = std::get_if<SignalError>(&parsed)) {
        input.error = error->text();
        return input;
    }
    input.signal = std::get<PaymentSignal>(std::move(parsed));
    return input;
}

}  // namespace

ReplayReport runReplay(const ReplayOptions& options) {
    ReplayReport report;
    QFile input(options.inputPath);
    if (!input.open(QIODevice::ReadOnly)) {
        report.error = options.inputPath + QStringLiteral(": cannot read: ") + input.errorString();
        return report;
    }
    QSaveFile output(options.outputPath);  // written whole or not at all
    if (!output.open(QIODevice::WriteOnly)) {
        report.error = options.outputPath + QStringLiteral(": cannot write: ") + output.errorString();
        return report;
    }

    VirtualClock clock;
    GatewaySimulator gateway(options.seed, clock);
    InMemoryIdempotencyStore idempotency;
    PaymentPipeline pipeline(options.policy.payments, clock, gateway, idempotency);

    QCryptographicHash audit(QCryptographicHash::Sha256);
    pipeline.breaker().setTransitionListener([&](const BreakerTransition& t) {
        ++report.breakerTransitions;
        audit.addData(QStringLiteral("transition %1 %2 %3 %4 %5\n")
                          .arg(t.breaker, toString(t.from), toString(t.to), t.reason)
                          .arg(toEpochMs(t.at))
                          .toUtf8());
    });

    std::vector<std::optional<QByteArray>> decisions;
    std::size_t pending = 0;
    const auto drainConfirmations = [&pipeline] {
        pipeline.flushConfirmations();
        while (pipeline.confirmations().tryPull()) {
            pipeline.confirmations().done();
        }
    };

    int lineNumber = 0;
    while (!input.atEnd()) {
        // A line is read at most one byte past the signal limit; the rest of a longer one is
        // skipped in bounded chunks, so a file of one endless line cannot grow memory.
        QByteArray raw = input.readLine(kMaxSignalBytes + 2);
        if (raw.size() > kMaxSignalBytes && !raw.endsWith('\n')) {
            for (QByteArray rest = raw; !rest.isEmpty() && !rest.endsWith('\n');) {
                rest = input.readLine(64 * 1024);
            }
        }
        if (raw.endsWith('\n')) {
            raw.chop(1);
        }
        if (raw.endsWith('\r')) {
            raw.chop(1);
        }
        const int line = ++lineNumber;
        const auto slot = decisions.size();
        decisions.emplace_back();
        ++pending;

        LineInput parsed = readLine(raw);
        const QString key = QStringLiteral("line:%1").arg(line);
        const QString traceId = makeTraceId(options.seed, key);
        if (!parsed.signal) {
            pipeline.submitInvalid(parsed.id.value_or(QString()), traceId, QString(), parsed.error,
                                   [&, slot, line, id = parsed.id](const PaymentResponse& r) {
                                       decisions[slot] = decisionLine(line, id, r);
                                       ++report.counts[static_cast<std::size_t>(r.outcome)];
                                       --pending;
                                   });
            continue;
        }
        PaymentSignal signal = std::move(*parsed.signal);
        // The clock moves to max(clock, timestamp) and never goes back; due timers fire first.
        if (signal.timestamp) {
            clock.advanceTo(std::max(clock.now(), *signal.timestamp));
        }
        if (signal.id.isEmpty()) {  // absent (or empty) ids are generated, deterministically
            signal.id = makeUuid(options.seed, key);
        }
        const QString id = signal.id;
        pipeline.submit(std::move(signal), traceId, [&, slot, line, id](const PaymentResponse& r) {
            decisions[slot] = decisionLine(line, id, r);
            ++report.counts[static_cast<std::size_t>(r.outcome)];
            --pending;
        });
        drainConfirmations();
    }
    // Let queued and in-flight calls finish.
    while (pending > 0 && clock.step()) {
        drainConfirmations();
    }

    for (const auto& decision : decisions) {
        const QByteArray text = decision.value_or(QByteArrayLiteral("{}")) + '\n';
        output.write(text);
        audit.addData(text);
    }
    if (!output.commit()) {
        report.error = options.outputPath + QStringLiteral(": cannot write: ") + output.errorString();
        return report;
    }
    report.lines = lineNumber;
    report.auditDigest = QStringLiteral("sha256:") + QString::fromLatin1(audit.result().toHex());
    report.ok = true;
    return report;
}

}  // namespace tai
