#include "kaizen/kaizen_metrics.h"
#include "kaizen/latency_histogram.h"
#include "kaizen/rolling_window.h"

#include <QtTest>

#include <algorithm>
#include <random>

using namespace tai;
using namespace std::chrono_literals;

class TestKaizen : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bucketsCoverValuesWithoutGaps() {
        for (int i = 0; i + 1 < LatencyHistogram::kBuckets; ++i) {
            QCOMPARE(LatencyHistogram::bucketHigh(i), LatencyHistogram::bucketLow(i + 1));
        }
        for (std::uint64_t v :
             {0ull, 1ull, 127ull, 128ull, 255ull, 256ull, 1000ull, 123456789ull, 1ull << 40}) {
            const int b = LatencyHistogram::bucketIndex(v);
            QVERIFY(LatencyHistogram::bucketLow(b) <= v && v < LatencyHistogram::bucketHigh(b));
        }
    }

    void percentilesAreWithinOnePercent() {
        std::mt19937_64 rng(42);
        std::lognormal_distribution<double> dist(8.0, 1.5);
        std::vector<std::uint64_t> values;
        LatencyHistogram histogram;
        for (int i = 0; i < 200000; ++i) {
            const auto v = static_cast<std::uint64_t>(dist(rng));
            values.push_back(v);
            histogram.record(v);
        }
        std::sort(values.begin(), values.end());
        for (const double q : {0.5, 0.9, 0.99, 0.999}) {
            const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1;
            const double exact = static_cast<double>(values[rank]);
            const double reported = histogram.percentile(q);
            QVERIFY2(std::abs(reported - exact) <= 0.01 * exact + 0.5,
                     qPrintable(QStringLiteral("q=%1 exact=%2 reported=%3").arg(q).arg(exact).arg(reported)));
        }
        QCOMPARE(histogram.summary().max, static_cast<double>(values.back()));
        QCOMPARE(histogram.count(), 200000u);
    }

    void emptyHistogramReportsZero() {
        LatencyHistogram histogram;
        QCOMPARE(histogram.percentile(0.99), 0.0);
        QCOMPARE(histogram.summary().count, 0u);
    }

    void rollingWindowSumsTheLastSeconds() {
        RollingWindow window(2, 60);
        const TimePoint t0{1000s};
        window.add(t0, 0, 5);
        window.add(t0 + 10s, 0, 3);
        window.add(t0 + 10s, 1, 1);
        QCOMPARE(window.sum(t0 + 10s, 60), (std::vector<std::uint64_t>{8, 1}));
        QCOMPARE(window.sum(t0 + 10s, 5), (std::vector<std::uint64_t>{3, 1}));
        QCOMPARE(window.sum(t0 + 65s, 60), (std::vector<std::uint64_t>{3, 1}));  // t0 slid out
        QCOMPARE(window.sum(t0 + 200s, 60), (std::vector<std::uint64_t>{0, 0}));
        window.add(t0 + 60s, 0, 7);  // reuses t0's slot: old counts must not leak in
        QCOMPARE(
            window.at(std::chrono::duration_cast<std::chrono::seconds>((t0 + 60s).time_since_epoch()).count(),
                      0),
            7u);
    }

    void metricsCountOutcomes() {
        KaizenMetrics metrics({QStringLiteral("ok"), QStringLiteral("bad")});
        metrics.record(0, TimePoint{1s});
        metrics.record(0, TimePoint{2s});
        metrics.record(1, TimePoint{2s});
        metrics.record(7, TimePoint{2s});  // unknown: ignored
        QCOMPARE(metrics.total(0), 2u);
        QCOMPARE(metrics.totalAll(), 3u);
        QCOMPARE(metrics.windowCounts(TimePoint{2s}, 1), (std::vector<std::uint64_t>{1, 1}));
    }
};

QTEST_GUILESS_MAIN(TestKaizen)
#include "tst_kaizen.moc"
