// The monitoring files we ship (packaging/monitoring) against a real scrape (issue 18): promtool
// accepts the rules and the exposition, and the Grafana dashboard and the rules name only series
// that /metrics has, while the dashboard shows every family /metrics has.
#include "headless_process.h"
#include "http_receiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace std::chrono_literals;

namespace {

const QString kRules = QStringLiteral(TAI_SOURCE_DIR "/packaging/monitoring/tai-console.rules.yml");
const QString kDashboard = QStringLiteral(TAI_SOURCE_DIR "/packaging/monitoring/tai-console-dashboard.json");

std::pair<int, QByteArray> runTool(const QString& program, const QStringList& args,
                                   const QByteArray& input = {}) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll()};
}

// The metric names a PromQL expression reads. Strings, label matchers, ranges, grouping
// clauses and dashboard variables go first; then every identifier that is not a function
// call or a keyword is a metric name.
QSet<QString> metricNames(QString expr) {
    static const QRegularExpression labelValues("label_values\\(\\s*([a-zA-Z_:][\\w:]*)[^)]*\\)");
    expr.replace(labelValues, QStringLiteral("\\1"));
    for (const char* pattern :
         {"\"(?:[^\"\\\\]|\\\\.)*\"", "\\{[^}]*\\}", "\\[[^\\]]*\\]",
          "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "\\$\\{?\\w+\\}?"}) {
        expr.remove(QRegularExpression(QString::fromLatin1(pattern)));
    }
    static const QSet<QString> keywords{"and", "or",  "unless", "bool",   "offset",
                                        "inf", "nan", "by",     "without"};
    static const QRegularExpression identifier("(?<![\\w.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
    QSet<QString> names;
    for (auto it = identifier.globalMatch(expr); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(2).isEmpty() && !keywords.contains(m.captured(1))) {
            names.insert(m.captured(1));
        }
    }
    return names;
}

// Every "expr" (and templating query) anywhere in the dashboard.
void collectExpressions(const QJsonValue& value, QStringList& out) {
    if (value.isArray()) {
        for (const QJsonValue& v : value.toArray()) {
            collectExpressions(v, out);
        }
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        if (o.value("type") == "datasource") {
            return;  // the data source picker: its "query" is a plugin type, not PromQL
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            if ((it.key() == "expr" || it.key() == "query") && it.value().isString()) {
                out << it.value().toString();
            } else {
                collectExpressions(it.value(), out);
            }
        }
    }
}

QSet<QString> sampleNames(const QByteArray& exposition) {
    QSet<QString> names;
    for (const QByteArray& line : exposition.split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#')) {
            const qsizetype end = line.indexOf(line.contains('{') ? '{' : ' ');
            names.insert(QString::fromUtf8(line.left(end)));
        }
    }
    return names;
}

QStringList sorted(const QSet<QString>& set) {
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

}  // namespace

class TestMonitoring : public QObject {
    Q_OBJECT
    QByteArray scrape_;  // one real /metrics with every family present

private Q_SLOTS:
    // An engine that has done everything /metrics can report: errors and breaker trips, an alert
    // sent, a completed deployment (its duration) and a rolled-back one (MTTR).
    void initTestCase() {
        QTemporaryDir dir;
        QFile policy(dir.filePath("policy.json"));
        QVERIFY(policy.open(QIODevice::WriteOnly));
        policy.write(
            "{\"deployments\":{\"regions\":[\"us-east-1\"],\"health_interval_s\":1,\"bake_time_s\":0,\n      "
            "      "
            "\"stages\":[{\"name\":\"canary\",\"weight\":5,\"duration_s\":3},{\"name\":\"prod\",\"weight\":"
            "100,\"duration_s\":0}]}}");
        policy.close();
        HeadlessProcess engine({"--load", "300", "--fault", "error=0.3", "--policy", policy.fileName(),
                                "--deploy", "api-service:v2.0.0", "--infra-fault",
                                "region=us-east-1,version=v3.0.0,error=0.5", "--alert-webhook",
                                QStringLiteral("http://127.0.0.1:%1/hook").arg(HttpReceiver::freePort())});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        const auto metrics = [&] {
            return QCoro::waitFor(request(nam, "GET", engine.url("/metrics"))).body;
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            metrics().contains("tai_deployments_completed_total{system=\"deployments\"} 1"), 30000);
        const HttpResult second =
            QCoro::waitFor(request(nam, "POST", engine.url("/v1/deployments"),
                                   "{\"service\":\"api-service\",\"version\":\"v3.0.0\"}"));
        QVERIFY2(second.status == 202, second.body.constData());
        static const QRegularExpression tripped("tai_breaker_trips_total\\{[^}]*\\} [1-9]");
        QTRY_VERIFY_WITH_TIMEOUT((scrape_ = metrics()).contains("tai_mttr_seconds{") &&
                                     tripped.match(QString::fromUtf8(scrape_)).hasMatch() &&
                                     scrape_.contains("tai_alert_notifications_total{"),
                                 30000);
    }

    void promtoolAcceptsTheRules() {
        const QString promtool = QStandardPaths::findExecutable("promtool");
        QVERIFY2(!promtool.isEmpty(),
                 "promtool is missing: packaging/debian-packages.txt installs prometheus");
        const auto [code, output] = runTool(promtool, {"check", "rules", kRules});
        QVERIFY2(code == 0, output.constData());
        QVERIFY2(output.contains("SUCCESS"), output.constData());
    }

    void promtoolAcceptsARealScrape() {
        const QString promtool = QStandardPaths::findExecutable("promtool");
        QVERIFY(!promtool.isEmpty());
        const auto [code, output] = runTool(promtool, {"check", "metrics"}, scrape_);
        QVERIFY2(code == 0, output.constData());
        for (const char* family :
             {"tai_build_info{", "process_resident_memory_bytes ", "process_cpu_seconds_total ",
              "process_start_time_seconds ", "process_open_fds ", "process_max_fds ",
              "tai_breaker_trips_total{system=\"payments\",breaker=\"payment-gateway\"}"}) {
            QVERIFY2(scrape_.contains(family), family);
        }
    }

    void theDashboardNamesOnlySeriesTheConsoleHasAndShowsThemAll() {
        QFile file(kDashboard);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument dashboard = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(dashboard.object()["uid"].toString(), QString("tai-console"));
        QStringList expressions;
        collectExpressions(dashboard.object(), expressions);
        QVERIFY(expressions.size() > 20);
        QSet<QString> used;
        for (const QString& expr : expressions) {
            const QSet<QString> names = metricNames(expr);
            QVERIFY2(!names.isEmpty(), qPrintable(expr));
            used += names;
        }
        const QSet<QString> exposed = sampleNames(scrape_);
        QVERIFY2((used - exposed).isEmpty(),
                 qPrintable("on the dashboard, not in /metrics: " + sorted(used - exposed).join(", ")));
        QVERIFY2((exposed - used).isEmpty(),
                 qPrintable("in /metrics, not on the dashboard: " + sorted(exposed - used).join(", ")));
    }

    void theRulesReadOnlySeriesTheConsoleHasOrTheyRecord() {
        QFile file(kRules);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> recorded{"up"};  // Prometheus' own, for TaiConsoleDown
        QStringList expressions;
        // The file's layout is ours: `record: name` and `expr:` either inline or folded (>).
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QString line = lines[i].trimmed();
            if (line.startsWith("- record: ")) {
                recorded.insert(line.mid(10));
            } else if (line.startsWith("expr: >")) {
                QString folded;
                while (i + 1 < lines.size() && lines[i + 1].startsWith("          ")) {
                    folded += lines[++i].trimmed() + ' ';
                }
                expressions << folded;
            } else if (line.startsWith("expr: ")) {
                expressions << line.mid(6);
            }
        }
        QCOMPARE(expressions.size(), 21);  // as many as promtool counts: 9 recording, 12 alerting
        const QSet<QString> exposed = sampleNames(scrape_);
        for (const QString& expr : expressions) {
            const QSet<QString> unknown = metricNames(expr) - exposed - recorded;
            QVERIFY2(unknown.isEmpty(), qPrintable(expr + ": " + sorted(unknown).join(", ")));
        }
    }

    void metricNamesAreReadFromPromql_data() {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("rate in a sum")
            << "sum by (outcome) "
               "(rate(tai_payments_total{job=~\"$job\",outcome=\"charged\"}[$__rate_interval]))"
            << QStringList{"tai_payments_total"};
        QTest::newRow("quantile")
            << "histogram_quantile(0.99, sum by (le) (rate(tai_payment_latency_seconds_bucket[5m])))"
            << QStringList{"tai_payment_latency_seconds_bucket"};
        QTest::newRow("ratio and a comparison")
            << "process_open_fds / process_max_fds > 0.9 and on (instance) up == 1"
            << QStringList{"process_max_fds", "process_open_fds", "up"};
        QTest::newRow("recorded") << "tai:payments_success:ratio_rate1m < 0.95"
                                  << QStringList{"tai:payments_success:ratio_rate1m"};
        QTest::newRow("label_values")
            << "label_values(tai_build_info{job=~\"$job\"}, instance)" << QStringList{"tai_build_info"};
    }
    void metricNamesAreReadFromPromql() {
        QFETCH(QString, expr);
        QFETCH(QStringList, names);
        QCOMPARE(sorted(metricNames(expr)), names);
    }
};

QTEST_GUILESS_MAIN(TestMonitoring)
#include "tst_monitoring.moc"
