// Tracing (DESIGN.md §12): the span tree of a payment, the samplers, "rejections and errors are
// always kept", the bounded store and its search, and the OTLP/JSON shape. On a VirtualClock.
#include "base/seeded_random.h"
#include "pipeline_fixture.h"
#include "trace/otlp_json.h"
#include "trace/trace_json.h"
#include "trace/trace_sampler.h"
#include "trace/trace_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace tai;
using namespace std::chrono_literals;

namespace {
struct TracedPipeline : PipelineFixture {
    explicit TracedPipeline(const QString& sampler, PaymentsConfig config = {}) : PipelineFixture(config) {
        QString error;
        pipeline.setTracing(*TraceSampler::parse(sampler, &error),
                            [this](std::shared_ptr<const PaymentTrace> t) { store.add(std::move(t)); });
    }
    std::optional<PaymentResponse> sendAs(PaymentSignal s, const QString& traceId) {
        const std::size_t before = responses.size();
        pipeline.submit(std::move(s), traceId, [this](const PaymentResponse& r) { responses.push_back(r); });
        return responses.size() > before ? std::optional(responses.back()) : std::nullopt;
    }
    TraceStore store;
};

QString traceId(int n) {
    return QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0'));
}

// What the store keeps for a payment: its PaymentTrace (the facts "why" shows).
std::shared_ptr<const PaymentTrace> payment(std::shared_ptr<const KeptTrace> kept) {
    return std::dynamic_pointer_cast<const PaymentTrace>(std::move(kept));
}

QStringList spanNames(const KeptTrace& t) {
    QStringList names;
    for (const Span& s : t.spans()) {
        names << s.name;
    }
    return names;
}

Span spanNamed(const KeptTrace& t, const QString& name) {
    for (const Span& s : t.spans()) {
        if (s.name == name) {
            return s;
        }
    }
    return {};
}

QString attribute(const Span& s, const QString& key) {
    for (const SpanAttribute& a : s.attributes) {
        if (a.key == key) {
            return attributeText(a.value);
        }
    }
    return {};
}

const SpanAttribute* attributeNamed(const Span& s, const QString& key) {
    for (const SpanAttribute& a : s.attributes) {
        if (a.key == key) {
            return &a;
        }
    }
    return nullptr;
}
}  // namespace

class TestTracing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aChargedPaymentHasTheSpanTreeOfSection12() {
        TracedPipeline f("always");
        PaymentSignal s = f.payment("p1");
        s.sim = SimOverride{GatewayForcedOutcome::Ok, 120};
        f.sendAs(s, traceId(1));
        f.clock.advanceBy(1s);
        const auto t = payment(f.store.find(traceId(1)));
        QVERIFY(t);
        QCOMPARE(spanNames(*t),
                 (QStringList{"process_signal", "evaluate_policy", "rule:blacklist", "rule:velocity",
                              "rule:amount", "rule:currency", "execute_action", "circuit_breaker_check",
                              "gateway_call", "queue_async_work", "generate_response"}));
        const std::vector<Span> spans = t->spans();
        const Span& root = spans.front();
        QCOMPARE(root.parentId, std::uint64_t{0});
        // Every other span hangs off the tree; ids are unique and non-zero.
        QSet<std::uint64_t> ids;
        for (const Span& span : spans) {
            QVERIFY(span.spanId != 0);
            ids.insert(span.spanId);
        }
        QCOMPARE(ids.size(), static_cast<qsizetype>(spans.size()));
        QCOMPARE(spanNamed(*t, "rule:velocity").parentId, spanNamed(*t, "evaluate_policy").spanId);
        QCOMPARE(spanNamed(*t, "gateway_call").parentId, spanNamed(*t, "execute_action").spanId);
        QCOMPARE(spanNamed(*t, "circuit_breaker_check").parentId, spanNamed(*t, "execute_action").spanId);
        // The gateway's 120 ms show on the virtual clock.
        QCOMPARE(spanNamed(*t, "gateway_call").end - spanNamed(*t, "gateway_call").start, Duration(120ms));
        QCOMPARE(root.end - root.start, Duration(120ms));
        QCOMPARE(attribute(root, "tai.payment.outcome"), QStringLiteral("charged"));
        QVERIFY(!root.error);
        QVERIFY(t->headSampled);
        // Attributes keep their types; a payment that did not come over HTTP has no HTTP ones.
        const SpanAttribute* amount = attributeNamed(root, "tai.payment.amount_minor");
        QVERIFY(amount && std::holds_alternative<std::int64_t>(amount->value));
        QCOMPARE(std::get<std::int64_t>(amount->value), std::int64_t{s.amountMinor});
        QVERIFY(!attributeNamed(root, "http.response.status_code"));
        QCOMPARE(root.kind, SpanKind::Internal);
        const Span velocity = spanNamed(*t, "rule:velocity");  // a copy: the attribute points into it
        const SpanAttribute* fired = attributeNamed(velocity, "tai.rule.fired");
        QVERIFY(fired && std::holds_alternative<bool>(fired->value));
        // The gateway call's span id is the one a real gateway is sent in traceparent.
        QCOMPARE(spanNamed(*t, "gateway_call").spanId, PaymentTrace::gatewayCallSpanId(traceId(1)));
    }

    void rejectionsAndErrorsAreKeptEvenWhenTheSamplerSaysNever() {
        TracedPipeline f("never");
        f.sendAs(f.payment("ok", "cust_1"), traceId(1));
        f.sendAs(f.payment("fraud", "cust_666"), traceId(2));  // blacklisted
        PaymentSignal failing = f.payment("err", "cust_2");
        failing.sim = SimOverride{GatewayForcedOutcome::Error, std::nullopt};
        f.sendAs(failing, traceId(3));
        QVERIFY(!payment(f.store.find(traceId(1))));  // charged and not sampled: not kept
        const auto rejected = payment(f.store.find(traceId(2)));
        QVERIFY(rejected);
        QCOMPARE(toString(rejected->outcome), QStringLiteral("rejected"));
        QVERIFY(!rejected->headSampled);
        QVERIFY(!rejected->spans().front().error);  // a decline is an answer (402), not a failure
        const auto error = payment(f.store.find(traceId(3)));
        QVERIFY(error);
        QCOMPARE(toString(error->outcome), QStringLiteral("gateway_error"));
        QVERIFY(spanNamed(*error, "gateway_call").error);
        QVERIFY(error->spans().front().error);  // 502
    }

    void theWhyOfARejectionNamesEachRuleItsWeightAndTheScore() {
        TracedPipeline f("never");
        f.sendAs(f.payment("big", "cust_666", 900'000), traceId(7));  // blacklist 100 + amount 50
        const auto t = payment(f.store.find(traceId(7)));
        QVERIFY(t);
        QCOMPARE(t->score, 150);
        QCOMPARE(t->rejectScore, 50);
        QStringList fired;
        int weights = 0;
        for (const RuleVerdict& r : t->rules) {
            if (r.fired) {
                fired << r.name;
                weights += r.weight;
            }
        }
        QCOMPARE(fired, (QStringList{"blacklist", "amount"}));
        QCOMPARE(weights, t->score);
        QCOMPARE(t->rules.size(), std::size_t{4});  // the ones that did not fire are listed too
    }

    void aFastFailRecordsTheOpenBreaker() {
        PaymentsConfig config;
        config.breaker.failureThreshold = 2;
        TracedPipeline f("never", config);
        for (int i = 0; i < 2; ++i) {
            PaymentSignal s = f.payment(QStringLiteral("e%1").arg(i), QStringLiteral("c%1").arg(i));
            s.sim = SimOverride{GatewayForcedOutcome::Error, std::nullopt};
            f.sendAs(s, traceId(10 + i));
        }
        f.sendAs(f.payment("blocked", "c9"), traceId(20));
        const auto t = payment(f.store.find(traceId(20)));
        QVERIFY(t);
        QCOMPARE(toString(t->outcome), QStringLiteral("circuit_open"));
        QCOMPARE(toString(t->breaker), QStringLiteral("open"));
        QVERIFY(!t->breakerAllowed);
        QVERIFY(t->retryAfterS > 0);
        QCOMPARE(attribute(spanNamed(*t, "circuit_breaker_check"), "tai.breaker.allowed"),
                 QStringLiteral("false"));
        QVERIFY(!spanNames(*t).contains("gateway_call"));
    }

    void samplersDecideAsConfigured_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("minKept");
        QTest::addColumn<int>("maxKept");
        QTest::newRow("always") << "always" << 1000 << 1000;
        QTest::newRow("never") << "never" << 0 << 0;
        QTest::newRow("probabilistic 10 %") << "probabilistic:0.1" << 60 << 140;
        QTest::newRow("rate 25/s over 4 s") << "rate:25" << 100 << 100;
    }
    void samplersDecideAsConfigured() {
        QFETCH(QString, spec);
        QFETCH(int, minKept);
        QFETCH(int, maxKept);
        QString error;
        auto sampler = TraceSampler::parse(spec, &error);
        QVERIFY2(sampler, qPrintable(error));
        const TimePoint t0{std::chrono::seconds(1'767'225'600)};
        int kept = 0;
        for (int i = 0; i < 1000; ++i) {  // 250 per second for 4 s
            kept += sampler->sample(SeededRandom::hash(traceId(i)), t0 + i * 4ms) ? 1 : 0;
        }
        QVERIFY2(kept >= minKept && kept <= maxKept, qPrintable(QString::number(kept)));
    }

    void badSamplerSpecsAreNamed_data() {
        QTest::addColumn<QString>("spec");
        QTest::newRow("unknown") << "sometimes";
        QTest::newRow("p above 1") << "probabilistic:1.5";
        QTest::newRow("rate not a number") << "rate:lots";
        QTest::newRow("always with a value") << "always:3";
    }
    void badSamplerSpecsAreNamed() {
        QFETCH(QString, spec);
        QString error;
        QVERIFY(!TraceSampler::parse(spec, &error));
        QVERIFY(error.startsWith("--trace-sampler:"));
    }

    void theStoreIsBoundedAndSearchable() {
        TraceStore store(3);
        const TimePoint t0{std::chrono::seconds(1'767'225'600)};
        for (int i = 0; i < 5; ++i) {
            PaymentTraceFacts facts;
            facts.customerId = i % 2 ? "odd" : "even";
            facts.outcome = i % 2 ? PaymentOutcome::Rejected : PaymentOutcome::Charged;
            store.add(std::make_shared<PaymentTrace>(traceId(i), t0, t0, facts));
        }
        QCOMPARE(store.size(), std::size_t{3});
        QCOMPARE(store.kept(), std::uint64_t{5});
        QVERIFY(!store.find(traceId(0)));  // the oldest went first
        QVERIFY(store.find(traceId(4)));
        TraceQuery byCustomer;
        byCustomer.tags = {{"customer", "odd"}};
        QCOMPARE(store.search(byCustomer).size(), std::size_t{1});
        TraceQuery byOutcome;
        byOutcome.tags = {{"outcome", "charged"}};
        const auto charged = store.search(byOutcome);
        QCOMPARE(charged.size(), std::size_t{2});
        QCOMPARE(charged.front()->traceId(), traceId(4));  // newest first
        // A newer version of a kept trace replaces it rather than filling the store.
        PaymentTraceFacts again;
        again.outcome = PaymentOutcome::Rejected;
        store.add(std::make_shared<PaymentTrace>(traceId(4), t0, t0 + 1s, again));
        QCOMPARE(store.size(), std::size_t{3});
        QCOMPARE(store.find(traceId(4))->tag(u"outcome"), QStringLiteral("rejected"));
    }

    void otlpJsonCarriesHexIdsParentsAndNanoseconds() {
        TracedPipeline f("always");
        f.sendAs(f.payment("p1"), traceId(42));
        const auto t = payment(f.store.find(traceId(42)));
        const QJsonObject request = QJsonDocument::fromJson(otlpTraceRequest({t})).object();
        const QJsonObject resource = request["resourceSpans"].toArray()[0].toObject();
        QCOMPARE(resource["resource"].toObject()["attributes"].toArray()[0].toObject()["key"].toString(),
                 QStringLiteral("service.name"));
        const QJsonArray spans = resource["scopeSpans"].toArray()[0].toObject()["spans"].toArray();
        QCOMPARE(spans.size(), static_cast<qsizetype>(t->spans().size()));
        const QJsonObject root = spans[0].toObject();
        QCOMPARE(root["traceId"].toString(), traceId(42));
        QCOMPARE(root["spanId"].toString().size(), 16);
        QVERIFY(!root.contains("parentSpanId"));
        QCOMPARE(spans[1].toObject()["parentSpanId"].toString(), root["spanId"].toString());
        QCOMPARE(root["startTimeUnixNano"].toString(), QStringLiteral("1767225600000000000"));
        // OpenTelemetry: a span that did not fail leaves its status unset, and attributes keep
        // their types (an integer is a JSON string in OTLP, a boolean a boolean).
        QVERIFY(!root["status"].toObject().contains("code"));
        QCOMPARE(root["kind"].toInt(), 1);  // INTERNAL: it did not come over HTTP (tst_otlp_conventions)
        const auto attributeValue = [](const QJsonObject& span, const QString& key) {
            for (const QJsonValue& a : span["attributes"].toArray()) {
                if (a.toObject()["key"].toString() == key) {
                    return a.toObject()["value"].toObject();
                }
            }
            return QJsonObject();
        };
        QCOMPARE(attributeValue(root, "tai.payment.amount_minor")["intValue"].toString(),
                 QStringLiteral("1000"));
        for (const QJsonValue& span : spans) {
            if (span.toObject()["name"].toString() == "rule:velocity") {
                QCOMPARE(attributeValue(span.toObject(), "tai.rule.fired")["boolValue"].toBool(), false);
                QVERIFY(attributeValue(span.toObject(), "tai.rule.fired").contains("boolValue"));
            }
            if (span.toObject()["name"].toString() == "gateway_call") {
                QCOMPARE(span.toObject()["kind"].toInt(), 3);  // CLIENT: a call out
            }
        }
        // And the console/API JSON of the same trace.
        const QJsonObject json = traceJson(*t);
        QCOMPARE(json["why"].toObject()["rules"].toArray().size(), 4);
        QCOMPARE(json["spans"].toArray().size(), static_cast<qsizetype>(t->spans().size()));
        QCOMPARE(t->spans().front().spanId, t->spans().front().spanId);  // stable ids
    }
};

QTEST_GUILESS_MAIN(TestTracing)
#include "tst_tracing.moc"
