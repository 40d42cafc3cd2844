// GET /metrics as Prometheus reads it (issue 18): histogram_quantile() over the exposed buckets
// lands within one bucket of the engine's own percentile, build and process metrics, and the
// labels every series carries.
#include "api/prometheus_metrics.h"
#include "engine/engine_snapshot.h"
#include "kaizen/latency_buckets.h"
#include "kaizen/latency_histogram.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QtTest>

#include <cmath>
#include <random>

using namespace tai;

namespace {

struct Bucket {
    double le;
    double count;
};

// The tai_payment_latency_seconds buckets of an exposition, +Inf last.
std::vector<Bucket> latencyBuckets(const QByteArray& text) {
    static const QRegularExpression line(
        "^tai_payment_latency_seconds_bucket\\{system=\"payments\",le=\"([^\"]+)\"\\} (\\d+)$",
        QRegularExpression::MultilineOption);
    std::vector<Bucket> out;
    for (auto it = line.globalMatch(QString::fromUtf8(text)); it.hasNext();) {
        const auto m = it.next();
        const double le = m.captured(1) == "+Inf" ? INFINITY : m.captured(1).toDouble();
        out.push_back({le, m.captured(2).toDouble()});
    }
    return out;
}

// Prometheus' histogram_quantile (promql/quantile.go, bucketQuantile): find the bucket holding
// the rank and interpolate linearly inside it; the lowest bucket starts at 0, and a rank in the
// +Inf bucket answers the highest finite bound.
double histogramQuantile(double q, const std::vector<Bucket>& buckets) {
    const double total = buckets.back().count;
    const double rank = q * total;
    std::size_t b = 0;
    while (buckets[b].count < rank) {
        ++b;
    }
    if (std::isinf(buckets[b].le)) {
        return buckets[b - 1].le;
    }
    const double start = b == 0 ? 0 : buckets[b - 1].le;
    const double below = b == 0 ? 0 : buckets[b - 1].count;
    const double inBucket = buckets[b].count - below;
    return start + (buckets[b].le - start) * (rank - below) / inBucket;
}

// Which exposed bucket (index into the bounds) a latency in seconds falls in.
std::size_t bucketOf(double seconds) {
    const auto& bounds = latencyBucketBoundsMicros();
    const double micros = seconds * 1e6;
    std::size_t i = 0;
    while (i < bounds.size() && static_cast<double>(bounds[i]) < micros - 1e-9) {
        ++i;
    }
    return i;
}

// The snapshot's buckets as the engine builds them from its lifetime histogram (µs).
EngineSnapshot snapshotOf(const LatencyHistogram& histogram) {
    EngineSnapshot s;
    const auto& bounds = latencyBucketBoundsMicros();
    const auto cumulative = histogram.cumulativeCounts(bounds);
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        s.kpis.latencyBuckets.emplace_back(static_cast<double>(bounds[i]) / 1e6, cumulative[i]);
    }
    s.kpis.latencyCount = histogram.count();
    return s;
}

double sampleValue(const QByteArray& text, const QString& series) {
    const QRegularExpression line("^" + QRegularExpression::escape(series) + R"( (\S+)$)",
                                  QRegularExpression::MultilineOption);
    const auto m = line.match(QString::fromUtf8(text));
    return m.hasMatch() ? m.captured(1).toDouble() : NAN;
}

}  // namespace

class TestPrometheusMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bucketsAreLogLinearFromOneMicrosecondToSixtySeconds() {
        const auto& bounds = latencyBucketBoundsMicros();
        QCOMPARE(bounds.front(), std::uint64_t{1});
        QCOMPARE(bounds.back(), std::uint64_t{60'000'000});
        QVERIFY(std::is_sorted(bounds.begin(), bounds.end()));
        // Nine steps per decade: no bucket is wider than twice its lower bound, except 1 → 2 µs.
        for (std::size_t i = 2; i < bounds.size(); ++i) {
            QVERIFY2(bounds[i] <= 2 * bounds[i - 1], qPrintable(QString::number(bounds[i])));
        }
    }

    void histogramQuantileAgreesWithTheEnginesPercentileWithinOneBucket_data() {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<double>("q");
        for (const char* d : {"engine fast path 8-40 us", "constant 15 us", "bimodal 12 us and 2 ms",
                              "log-normal around 300 us", "tail to 20 s", "gateway 40 +- 20 ms"}) {
            for (const double q : {0.5, 0.9, 0.99, 0.999}) {
                QTest::newRow(qPrintable(QString("%1, q=%2").arg(d).arg(q))) << QString(d) << q;
            }
        }
    }
    void histogramQuantileAgreesWithTheEnginesPercentileWithinOneBucket() {
        QFETCH(QString, distribution);
        QFETCH(double, q);
        std::mt19937_64 random(42);
        LatencyHistogram histogram;  // microseconds, as the engine records them
        for (int i = 0; i < 200'000; ++i) {
            double micros = 0;
            if (distribution.startsWith("engine")) {
                micros = std::uniform_real_distribution<double>(8, 40)(random);
            } else if (distribution.startsWith("constant")) {
                micros = 15;
            } else if (distribution.startsWith("bimodal")) {
                micros = i % 100 == 0 ? 2000 : 12;
            } else if (distribution.startsWith("log-normal")) {
                micros = std::lognormal_distribution<double>(std::log(300.0), 0.8)(random);
            } else if (distribution.startsWith("tail")) {
                micros = i % 1000 == 0 ? 20e6 : std::exponential_distribution<double>(1 / 50.0)(random);
            } else {
                micros = std::max(0.0, std::normal_distribution<double>(40'000, 10'000)(random));
            }
            histogram.record(static_cast<std::uint64_t>(std::llround(micros)));
        }
        const QByteArray text = prometheusText(snapshotOf(histogram));
        const auto buckets = latencyBuckets(text);
        QCOMPARE(buckets.size(), latencyBucketBoundsMicros().size() + 1);
        QCOMPARE(buckets.back().count, 200'000.0);
        const double engine = histogram.percentile(q) / 1e6;  // what the console shows, in s
        const double prometheus = histogramQuantile(q, buckets);
        const auto engineBucket = static_cast<qint64>(bucketOf(engine));
        const auto prometheusBucket = static_cast<qint64>(bucketOf(prometheus));
        QVERIFY2(std::abs(engineBucket - prometheusBucket) <= 1,
                 qPrintable(QString("engine %1 s (bucket %2), histogram_quantile %3 s (bucket %4)")
                                .arg(engine)
                                .arg(engineBucket)
                                .arg(prometheus)
                                .arg(prometheusBucket)));
    }

    void buildInfoNamesVersionBuildTypeAndQt() {
        const QByteArray text = prometheusText(EngineSnapshot{});
        QVERIFY(text.contains("# TYPE tai_build_info gauge\n"));
        const QString expected =
            QString("tai_build_info{version=\"%1\",build_type=\"%2\",qt_version=\"%3\"} 1\n")
                .arg(TAI_VERSION, TAI_BUILD_TYPE, qVersion());
        QVERIFY2(text.contains(expected.toUtf8()), text.constData());
        QVERIFY(!QByteArray(TAI_BUILD_TYPE).isEmpty());
    }

    void processMetricsComeFromProc() {
        const QByteArray text = prometheusText(EngineSnapshot{});
        for (const char* family : {"process_cpu_seconds_total counter", "process_resident_memory_bytes gauge",
                                   "process_virtual_memory_bytes gauge", "process_start_time_seconds gauge",
                                   "process_open_fds gauge", "process_max_fds gauge"}) {
            QVERIFY2(text.contains(QByteArray(QByteArray("# TYPE ") + family + '\n')), family);
        }
        const double rss = sampleValue(text, "process_resident_memory_bytes");
        QVERIFY2(rss > 1e6 && rss < 1e11, qPrintable(QString::number(rss)));
        const double started = sampleValue(text, "process_start_time_seconds");
        const double now = static_cast<double>(QDateTime::currentSecsSinceEpoch());
        QVERIFY2(started <= now + 1 && started > now - 3600, qPrintable(QString::number(started, 'f', 0)));
        QVERIFY(sampleValue(text, "process_cpu_seconds_total") >= 0);
        QVERIFY(sampleValue(text, "process_open_fds") >= 3);  // stdin, stdout, stderr at least
        QVERIFY(sampleValue(text, "process_max_fds") >= sampleValue(text, "process_open_fds"));
    }

    void breakerSeriesCarryTheirSystem() {
        EngineSnapshot s;
        for (const auto& [name, trips] :
             {std::pair{"payment-gateway", 3}, std::pair{"deploy:us-east-1", 1}}) {
            BreakerView b;
            b.status.name = name;
            b.status.trips = static_cast<std::uint64_t>(trips);
            s.breakers.push_back(b);
        }
        const QByteArray text = prometheusText(s);
        QVERIFY(
            text.contains("tai_breaker_trips_total{system=\"payments\",breaker=\"payment-gateway\"} 3\n"));
        QVERIFY(text.contains(
            "tai_breaker_trips_total{system=\"deployments\",breaker=\"deploy:us-east-1\"} 1\n"));
        QVERIFY(text.contains("tai_breaker_state{system=\"deployments\",breaker=\"deploy:us-east-1\"} 0\n"));
    }

    void alertSeveritiesUseAlertmanagersWords() {
        EngineSnapshot s;
        ActiveAlert a;
        a.severity = Severity::High;
        a.state = AlertState::Firing;
        s.alerts.push_back(a);
        const QByteArray text = prometheusText(s);
        QVERIFY(text.contains("tai_alerts{state=\"firing\",severity=\"warning\",silenced=\"false\"} 1\n"));
        QVERIFY(text.contains("tai_alerts{state=\"firing\",severity=\"critical\",silenced=\"false\"} 0\n"));
        QVERIFY(text.contains("tai_alerts{state=\"pending\",severity=\"info\",silenced=\"true\"} 0\n"));
        QVERIFY(!text.contains("severity=\"high\""));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusMetrics)
#include "tst_prometheus_metrics.moc"
