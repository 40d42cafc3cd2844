// The fleet client's merge rules, with no server at all: snapshots are fed to the FleetViewBuilder
// directly, with the time given. Honest merging (FLEET.md §14.3): a silent instance is listed but
// left out of every sum, breakers are counted per state, counters survive restarts, rates come
// from summed numerators and denominators, percentiles from the merged histogram.
#include "fleet/fleet_view_builder.h"
#include "kaizen/latency_histogram.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace tai::fleet;

namespace {

// One snapshot as a line: "i1@1000 seq=2 since=5 c:approved=10 b:gateway=open! lat:900x99 leader".
//   i1@1000        instance, and when the client received it (ms)
//   seq=N          the publisher's sequence (default: 1 more than the instance's last)
//   since=MS       the counters' start time (default 1)
//   c:NAME=V       a cumulative counter
//   b:NAME=STATE   a breaker; a trailing ! means forced
//   lat:VxN        N latencies of value V in this interval
//   alert:R/S=SEV/STATE, leader, policy=V
struct Feed {
    FleetSnapshot snapshot;
    std::int64_t receivedAtMs = 0;
    std::vector<std::pair<std::uint64_t, int>> latencies;
};

Feed parse(const QString& line, std::map<QString, std::uint64_t>& sequences) {
    Feed feed;
    const QStringList tokens = line.split(u' ', Qt::SkipEmptyParts);
    const QStringList head = tokens.value(0).split(u'@');
    FleetSnapshot& s = feed.snapshot;
    s.instance = head.value(0);
    feed.receivedAtMs = head.value(1).toLongLong();
    s.countersSinceMs = 1;
    s.sequence = ++sequences[s.instance];
    for (const QString& token : tokens.mid(1)) {
        const QString key = token.section(u'=', 0, 0);
        const QString value = token.section(u'=', 1);
        if (key == u"seq") {
            s.sequence = value.toULongLong();
            sequences[s.instance] = s.sequence;
        } else if (key == u"since") {
            s.countersSinceMs = value.toLongLong();
        } else if (key.startsWith(u"c:")) {
            s.counters[key.mid(2)] = value.toULongLong();
        } else if (key.startsWith(u"b:")) {
            const bool forced = value.endsWith(u'!');
            s.breakers.push_back({key.mid(2), forced ? value.chopped(1) : value, forced,
                                  forced ? QStringLiteral("operator") : QStringLiteral("system")});
        } else if (key.startsWith(u"lat:")) {
            const QStringList vn = key.mid(4).split(u'x');
            feed.latencies.push_back({vn.value(0).toULongLong(), vn.value(1).toInt()});
            for (int i = 0; i < vn.value(1).toInt(); ++i) {
                s.latency.record(vn.value(0).toULongLong());
            }
        } else if (key.startsWith(u"alert:")) {
            const QStringList rs = key.mid(6).split(u'/');
            const QStringList ss = value.split(u'/');
            s.alerts.push_back({rs.value(0), rs.value(1), ss.value(0), ss.value(1)});
        } else if (key == u"leader") {
            s.leader = true;
        } else if (key == u"policy") {
            s.policyVersion = value;
        } else {
            qFatal("unknown token %s", qPrintable(token));
        }
    }
    return feed;
}

}  // namespace

class TestFleetView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Expectations, one per line:
    //   reporting=N · instance:ID=reporting|silent · breaker:NAME=summary · counter:NAME=V
    //   rate:NAME=V (per second) · ratio:NUM/DEN=V · p99=merged · p50=merged · p99=V
    //   alert:RULE/SUBJECT=SEVERITY/STATE/INSTANCES · leaders=ID,ID · policies=V:N,V:N
    void foldsSnapshotsHonestly_data() {
        QTest::addColumn<QStringList>("feeds");
        QTest::addColumn<qint64>("nowMs");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("partial open: counted per state over 5 instances")
            << QStringList{"i1@1000 b:gateway=open", "i2@1000 b:gateway=open", "i3@1000 b:gateway=closed",
                           "i4@1000 b:gateway=closed", "i5@1000 b:gateway=half_open"}
            << qint64(1200) << QStringList{"reporting=5", "breaker:gateway=OPEN on 2 of 5"};

        QTest::newRow("a silent instance is greyed and left out of the counts")
            << QStringList{"i1@0 b:gateway=open c:approved=100", "i2@1000 b:gateway=open c:approved=10",
                           "i3@1000 b:gateway=closed c:approved=20", "i4@1000 b:gateway=closed c:approved=30",
                           "i5@1000 b:gateway=open c:approved=40"}
            << qint64(1600)  // i1 last seen 1600 ms ago: more than 3 intervals of 500 ms
            << QStringList{"reporting=4", "instance:i1=silent", "instance:i2=reporting",
                           "breaker:gateway=OPEN on 2 of 5 · 1 not reporting", "counter:approved=100"};

        QTest::newRow("silent for just under 3 intervals still reports")
            << QStringList{"i1@0 b:gateway=open", "i2@1000 b:gateway=closed"} << qint64(1499)
            << QStringList{"reporting=2", "instance:i1=reporting", "breaker:gateway=OPEN on 1 of 2"};

        QTest::newRow("forced breakers are counted")
            << QStringList{"i1@1000 b:gateway=open!", "i2@1000 b:gateway=open", "i3@1000 b:gateway=closed"}
            << qint64(1000) << QStringList{"breaker:gateway=OPEN on 2 of 3 · 1 forced"};

        QTest::newRow("all closed") << QStringList{"i1@1000 b:gateway=closed", "i2@1000 b:gateway=closed"}
                                    << qint64(1000) << QStringList{"breaker:gateway=closed on 2 of 2"};

        QTest::newRow("a restart (new start time) starts a new base; the total never drops")
            << QStringList{"i1@0 since=100 c:approved=10 c:total=12",
                           "i1@500 since=100 c:approved=15 c:total=18",
                           "i1@1000 since=900 seq=1 c:approved=3 c:total=3",
                           "i1@1500 since=900 seq=2 c:approved=5 c:total=6", "i2@1500 c:approved=7 c:total=7"}
            << qint64(1500) << QStringList{"counter:approved=27", "counter:total=31", "reporting=2"};

        QTest::newRow("a counter that shrinks without a new start time is a restart too")
            << QStringList{"i1@0 c:approved=50", "i1@500 c:approved=4"} << qint64(500)
            << QStringList{"counter:approved=54"};

        QTest::newRow("a repeated or older snapshot is ignored")
            << QStringList{"i1@0 seq=5 c:approved=50", "i1@500 seq=5 c:approved=99",
                           "i1@600 seq=4 c:approved=1"}
            << qint64(600) << QStringList{"counter:approved=50"};

        QTest::newRow("rates from summed increases, restarts carried")
            << QStringList{"i1@0 c:approved=0 c:total=0", "i1@2000 c:approved=30 c:total=40",
                           "i2@0 since=7 c:approved=100 c:total=100",
                           "i2@1000 since=8 seq=1 c:approved=5 c:total=10",
                           "i2@2000 since=8 seq=2 c:approved=15 c:total=20"}
            << qint64(2000)
            << QStringList{"rate:approved=22.5", "rate:total=30", "ratio:approved/total=0.75"};

        QTest::newRow("merged p99 from the merged histogram, not the average of p99s")
            << QStringList{"i1@1000 lat:900x1000", "i2@1000 lat:50000x10"} << qint64(1000)
            << QStringList{"p99=merged", "p50=merged", "p99!=average"};

        QTest::newRow("merged p99 where the slow instance dominates the tail")
            << QStringList{"i1@1000 lat:200x95 lat:3000x5", "i2@1000 lat:250x50 lat:80000x50"} << qint64(1000)
            << QStringList{"p99=merged", "p50=merged", "p99!=average"};

        QTest::newRow("a silent instance's latencies are left out")
            << QStringList{"i1@0 lat:90000x100", "i2@2000 lat:400x100"} << qint64(2000)
            << QStringList{"p99=merged", "reporting=1"};

        QTest::newRow("alerts merged by rule and subject, highest severity, firing wins")
            << QStringList{"i1@1000 alert:latency_p99/gateway=high/pending",
                           "i2@1000 alert:latency_p99/gateway=critical/firing",
                           "i3@1000 alert:fraud_rate/all=low/firing",
                           "i4@0 alert:fraud_rate/all=critical/firing"}
            << qint64(2000)
            << QStringList{"alert:latency_p99/gateway=critical/firing/i1,i2",
                           "alert:fraud_rate/all=low/firing/i3"};

        QTest::newRow("who leads, and policy drift")
            << QStringList{"i1@1000 leader policy=v7", "i2@1000 policy=v7", "i3@1000 policy=v6",
                           "i4@0 leader policy=v5"}
            << qint64(2000) << QStringList{"leaders=i1", "policies=v6:1,v7:2"};
    }

    void foldsSnapshotsHonestly() {
        QFETCH(QStringList, feeds);
        QFETCH(qint64, nowMs);
        QFETCH(QStringList, expected);

        FleetViewBuilder builder;  // 500 ms interval, 3 intervals of silence, 10 s window
        std::map<QString, std::uint64_t> sequences;
        std::map<QString, std::vector<std::pair<std::uint64_t, int>>> latencies;
        std::map<QString, std::int64_t> lastSeen;
        for (const QString& line : feeds) {
            const Feed feed = parse(line, sequences);
            if (builder.add(feed.snapshot, feed.receivedAtMs)) {
                auto& mine = latencies[feed.snapshot.instance];
                mine.insert(mine.end(), feed.latencies.begin(), feed.latencies.end());
                lastSeen[feed.snapshot.instance] = feed.receivedAtMs;
            }
        }
        const FleetView view = builder.build(nowMs);

        // The references: kaizen's own histogram over every reporting instance's raw values, and
        // each instance's p99 on its own (what averaging would use).
        tai::LatencyHistogram merged;
        std::vector<double> perInstanceP99;
        for (const auto& [instance, values] : latencies) {
            if (nowMs - lastSeen[instance] >= 1500 || values.empty()) {
                continue;
            }
            tai::LatencyHistogram own;
            for (const auto& [value, n] : values) {
                for (int i = 0; i < n; ++i) {
                    merged.record(value);
                    own.record(value);
                }
            }
            perInstanceP99.push_back(own.percentile(0.99));
        }

        for (const QString& expectation : expected) {
            const QString key = expectation.section(u'=', 0, 0);
            const QString value = expectation.section(u'=', 1);
            if (key == u"reporting") {
                QCOMPARE(view.reporting, value.toInt());
            } else if (key.startsWith(u"instance:")) {
                const FleetView::Instance* row = view.find(key.mid(9));
                QVERIFY2(row, qPrintable(expectation));
                QCOMPARE(row->reporting ? QStringLiteral("reporting") : QStringLiteral("silent"), value);
            } else if (key.startsWith(u"breaker:")) {
                const FleetView::Breaker* breaker = view.breaker(key.mid(8));
                QVERIFY2(breaker, qPrintable(expectation));
                QCOMPARE(breaker->summary(), value);
            } else if (key.startsWith(u"counter:")) {
                QCOMPARE(view.counters.at(key.mid(8)), value.toULongLong());
            } else if (key.startsWith(u"rate:")) {
                QVERIFY2(std::abs(view.ratesPerSecond.at(key.mid(5)) - value.toDouble()) < 1e-9,
                         qPrintable(QString::number(view.ratesPerSecond.at(key.mid(5)))));
            } else if (key.startsWith(u"ratio:")) {
                const auto ratio = view.ratio(key.mid(6).section(u'/', 0, 0), key.mid(6).section(u'/', 1));
                QVERIFY(ratio.has_value());
                QVERIFY2(std::abs(*ratio - value.toDouble()) < 1e-9, qPrintable(QString::number(*ratio)));
            } else if (key == u"p99" && value == u"merged") {
                QCOMPARE(view.latencyP99, merged.percentile(0.99));
                QCOMPARE(view.latency.count(), merged.count());
            } else if (key == u"p50" && value == u"merged") {
                QCOMPARE(view.latencyP50, merged.percentile(0.50));
            } else if (key == u"p99!") {
                double average = 0;
                for (const double p : perInstanceP99) {
                    average += p / static_cast<double>(perInstanceP99.size());
                }
                QVERIFY2(
                    std::abs(view.latencyP99 - average) > 0.05 * average,
                    qPrintable(
                        QStringLiteral("merged %1, average of p99s %2").arg(view.latencyP99).arg(average)));
            } else if (key.startsWith(u"alert:")) {
                const QString rule = key.mid(6).section(u'/', 0, 0);
                const QString subject = key.mid(6).section(u'/', 1);
                const auto found = std::find_if(
                    view.alerts.begin(), view.alerts.end(),
                    [&](const FleetView::Alert& a) { return a.rule == rule && a.subject == subject; });
                QVERIFY2(found != view.alerts.end(), qPrintable(expectation));
                QCOMPARE(found->severity + u'/' + found->state + u'/' + found->instances.join(u','), value);
            } else if (key == u"leaders") {
                QCOMPARE(view.leaders.join(u','), value);
            } else if (key == u"policies") {
                QStringList versions;
                for (const auto& [version, n] : view.policyVersions) {
                    versions << version + u':' + QString::number(n);
                }
                QCOMPARE(versions.join(u','), value);
            } else {
                QFAIL(qPrintable(u"unknown expectation " + expectation));
            }
        }
        // Whatever the case: every instance fed is listed, reporting or not, in id order.
        QCOMPARE(view.instances.size(), sequences.size());
        QVERIFY(std::is_sorted(view.instances.begin(), view.instances.end(),
                               [](const auto& a, const auto& b) { return a.instance < b.instance; }));
    }

    void ratesOnlyUseTheWindow() {
        FleetViewBuilder::Options options;
        options.window = std::chrono::milliseconds(2000);
        FleetViewBuilder builder(options);
        std::uint64_t seq = 0;
        const auto feed = [&](std::int64_t at, std::uint64_t approved) {
            FleetSnapshot s;
            s.instance = QStringLiteral("i1");
            s.sequence = ++seq;
            s.countersSinceMs = 1;
            s.counters[QStringLiteral("approved")] = approved;
            QVERIFY(builder.add(s, at));
        };
        feed(0, 0);
        feed(1000, 1000);  // a burst long ago
        for (std::int64_t t = 1500; t <= 10000; t += 500) {
            feed(t, 1000 + static_cast<std::uint64_t>(t - 1000) / 100);  // then 10 per second
        }
        const FleetView view = builder.build(10000);
        QCOMPARE(view.counters.at(QStringLiteral("approved")), std::uint64_t{1090});
        QVERIFY2(std::abs(view.ratesPerSecond.at(QStringLiteral("approved")) - 10.0) < 1e-9,
                 qPrintable(QString::number(view.ratesPerSecond.at(QStringLiteral("approved")))));
    }

    void theNumberOfInstancesIsBounded() {
        FleetViewBuilder::Options options;
        options.maxInstances = 3;
        FleetViewBuilder builder(options);
        for (int i = 0; i < 5; ++i) {
            FleetSnapshot s;
            s.instance = QStringLiteral("i%1").arg(i);
            s.sequence = 1;
            QCOMPARE(builder.add(s, 0), i < 3);
        }
        QCOMPARE(builder.build(0).instances.size(), std::size_t{3});
    }
};

QTEST_GUILESS_MAIN(TestFleetView)
#include "tst_fleet_view.moc"
