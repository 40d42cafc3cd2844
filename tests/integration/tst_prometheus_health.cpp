// Rollout health read from a real Prometheus (issue 15, Argo Rollouts' Prometheus provider): a
// Debian `prometheus` on a free loopback port scrapes a headless tai-console's own /metrics every
// second, and the health provider's instant queries over those series decide pass, marginal or
// fail. A stand-in Prometheus checks what is sent and the answers a real one rarely gives.
#include "base/real_clock.h"
#include "deployments/deployment_orchestrator.h"
#include "deployments/external_infra.h"
#include "deployments/infra_simulator.h"
#include "headless_process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace tai;
using namespace std::chrono_literals;

namespace {

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A stand-in Prometheus: answers every request with one status and body (or never), and keeps
// the request targets it was sent.
class FakePrometheus : public QObject {
public:
    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                    ++closed_;
                    socket->deleteLater();
                });
            }
        });
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString& path = {}) const {
        return QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort()) + path;
    }
    void answer(QByteArray status, QByteArray body) {
        status_ = std::move(status);
        body_ = std::move(body);
    }
    void hang() { status_.clear(); }
    const QList<QByteArray>& targets() const { return targets_; }
    int closed() const { return closed_; }

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        targets_ << buffer.left(buffer.indexOf('\r')).split(' ').value(1);
        buffer.remove(0, end + 4);  // GET: no body
        if (!status_.isEmpty()) {
            socket->write("HTTP/1.1 " + status_ + "\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(body_.size()) + "\r\n\r\n" + body_);
        }
    }

    QByteArray status_ = "200 OK";
    QByteArray body_;
    std::map<QTcpSocket*, QByteArray> buffers_;
    QList<QByteArray> targets_;
    int closed_ = 0;
    // Last, so it goes first: its sockets say disconnected() as they go, into the members above.
    QTcpServer server_;
};

QByteArray vectorAnswer(const QByteArray& value) {
    return R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"region":"us-west-2"},)"
           R"("value":[1767225600.123,")" +
           value + R"("]}]}})";
}

// The query of a request target as Prometheus (Go's form decoding) reads it: '+' is a space.
QString queryOf(const QByteArray& target) {
    QByteArray encoded = target.mid(target.indexOf("?query=") + 7);
    encoded.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(encoded));
}

// One measurement straight from the provider, waited for.
struct OneMeasurement {
    OneMeasurement(const QString& url, const QString& errorQuery, const QString& p99Query,
                   std::chrono::milliseconds timeout = 5000ms)
        : health(PrometheusHealthConfig{url, errorQuery, p99Query, 5000}, timeout, clock) {}
    std::uint64_t start(const QString& service = "api-service", const QString& version = "v2.0.0",
                        const QString& region = "us-west-2", int weight = 5) {
        return health.measure(service, version, region, weight,
                              [this](const HealthSample& s) { answers.push_back(s); });
    }
    RealClock clock;
    PrometheusHealth health;
    std::vector<HealthSample> answers;
};

// An orchestrator on the real clock whose health comes from Prometheus (actions stay simulated).
struct PrometheusRollouts {
    PrometheusRollouts(const QString& url, const QString& errorQuery, const QString& p99Query,
                       OnMarginal onMarginal = OnMarginal::Alert)
        : settings(config(onMarginal)),
          simulator(7, settings.regions, clock),
          infra(simulator,
                std::make_unique<PrometheusHealth>(PrometheusHealthConfig{url, errorQuery, p99Query, 2000},
                                                   2000ms, clock),
                nullptr) {
        DeploymentListener listener;
        listener.alert = [this](Severity, const QString& rule, const QString&, const QString& message,
                                const QString&) {
            alerts << rule + ": " + message;
        };
        orchestrator = std::make_unique<DeploymentOrchestrator>(settings, clock, infra, listener);
    }
    static DeploymentsConfig config(OnMarginal onMarginal) {
        DeploymentsConfig c;
        c.regions = QStringList{"us-west-2"};
        c.stages = {{"canary", 5, 60}, {"prod", 100, 0}};
        c.healthIntervalS = 1;
        c.onMarginal = onMarginal;
        return c;
    }
    QString deploy() {
        DeploymentSignal s;
        s.service = "api-service";
        s.version = "v2.0.0";
        s.requestedBy = "ci";
        return orchestrator->request(s).id;
    }
    RolloutView view(const QString& id) const { return *orchestrator->view(id); }

    DeploymentsConfig settings;
    RealClock clock;
    InfraSimulator simulator;
    ExternalInfra infra;
    std::unique_ptr<DeploymentOrchestrator> orchestrator;
    QStringList alerts;
};

// Series of the scraped engine: its deploy:<region> breaker is closed, so this is 0.
const QString kBreaker =
    QStringLiteral(R"(tai_breaker_state{system="deployments",breaker="deploy:{region}"})");
QString breaker(const char* tail) {
    return kBreaker + QString::fromUtf8(tail);
}

}  // namespace

class TestPrometheusHealth : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<HeadlessProcess> scraped_;  // the /metrics Prometheus scrapes
    QTemporaryDir dir_;
    QProcess prometheus_;
    quint16 port_ = 0;

    QString prometheusUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }
    QJsonArray instant(QNetworkAccessManager& nam, const QString& expression) {
        QUrl url(prometheusUrl() + "/api/v1/query");
        url.setQuery("query=" + QString::fromLatin1(QUrl::toPercentEncoding(expression)));
        const HttpResult answer = QCoro::waitFor(request(nam, "GET", url));
        return QJsonDocument::fromJson(answer.body).object()["data"].toObject()["result"].toArray();
    }

private Q_SLOTS:
    void initTestCase() {
        const QString binary = QStandardPaths::findExecutable("prometheus");
        QVERIFY2(!binary.isEmpty(), "prometheus is missing: packaging/debian-packages.txt installs it");
        scraped_ = std::make_unique<HeadlessProcess>(QStringList{"--ephemeral"});
        QVERIFY2(scraped_->running(), scraped_->log().constData());
        QFile config(dir_.filePath("prometheus.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                                    "scrape_configs:\n"
                                    "  - job_name: tai-console\n"
                                    "    static_configs: [{targets: [\"127.0.0.1:%1\"]}]\n")
                         .arg(scraped_->port())
                         .toUtf8());
        config.close();
        port_ = freePort();
        prometheus_.setProcessChannelMode(QProcess::MergedChannels);
        prometheus_.start(
            binary, {"--config.file=" + config.fileName(), "--storage.tsdb.path=" + dir_.filePath("tsdb"),
                     QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port_), "--log.level=warn"});
        QVERIFY2(prometheus_.waitForStarted(10000), qPrintable(prometheus_.errorString()));
        // Up, and it has scraped the engine at least once.
        QNetworkAccessManager nam;
        QTRY_VERIFY2_WITH_TIMEOUT(
            !instant(nam, R"(tai_breaker_state{breaker="deploy:us-west-2"})").isEmpty() ||
                prometheus_.state() == QProcess::NotRunning,
            prometheus_.readAll().constData(), 30000);
        QVERIFY2(prometheus_.state() == QProcess::Running, prometheus_.readAll().constData());
    }

    void cleanupTestCase() {
        if (prometheus_.state() != QProcess::NotRunning) {
            prometheus_.terminate();
            prometheus_.waitForFinished(10000);
        }
        scraped_.reset();
    }

    void aMeasurementIsJudgedOnWhatPrometheusAnswers_data() {
        QTest::addColumn<QString>("errorQuery");
        QTest::addColumn<QString>("p99Query");
        QTest::addColumn<QString>("result");
        QTest::addColumn<double>("errorRate");
        QTest::addColumn<double>("p99Ms");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("note");
        QTest::newRow("healthy") << breaker(" + 0.01") << breaker(" + 120") << "pass" << 0.01 << 120.0
                                 << "in_progress"
                                 << "";
        // The region's series only match with {region} put in; {weight} is the canary's 5 %, and
        // a scalar result counts as a vector's first value does.
        QTest::newRow("weight and a scalar")
            << breaker(" + {weight} / 1000") << QString("scalar(" + breaker(") + 180")) << "pass" << 0.005
            << 180.0 << "in_progress"
            << "";
        QTest::newRow("error rate above max_error_rate")
            << breaker(" + 0.2") << breaker(" + 120") << "fail" << 0.2 << 120.0 << "rolled_back"
            << "rolled back (error rate 20.0% > 5.0%)";
        QTest::newRow("p99 above max_p99_ms")
            << breaker(" + 0.01") << breaker(" + 1500") << "fail" << 0.01 << 1500.0 << "rolled_back"
            << "rolled back (p99 1500 ms > 1000 ms)";
        QTest::newRow("marginal error rate")
            << breaker(" + 0.03") << breaker(" + 120") << "marginal" << 0.03 << 120.0 << "in_progress"
            << "";
        QTest::newRow("bad PromQL") << "tai_breaker_state{" << breaker(" + 120") << "marginal" << 0.0 << 120.0
                                    << "in_progress"
                                    << "health query failed: error_rate: prometheus answered 400: bad_data: ";
        QTest::newRow("empty result")
            << R"(tai_no_such_metric{region="{region}"})" << breaker(" + 120") << "marginal" << 0.0 << 120.0
            << "in_progress"
            << "health query failed: error_rate: no data: the query gave an empty vector";
        QTest::newRow("NaN") << breaker(" + 0.01") << breaker(" / 0 * 0") << "marginal" << 0.01 << 0.0
                             << "in_progress"
                             << "health query failed: p99_ms: not a number";
        QTest::newRow("range vector")
            << breaker("[1m]") << breaker(" + 120") << "marginal" << 0.0 << 120.0 << "in_progress"
            << "health query failed: error_rate: a matrix result: the query must give "
               "an instant vector or a scalar";
    }

    void aMeasurementIsJudgedOnWhatPrometheusAnswers() {
        QFETCH(QString, errorQuery);
        QFETCH(QString, p99Query);
        QFETCH(QString, result);
        QFETCH(double, errorRate);
        QFETCH(double, p99Ms);
        QFETCH(QString, status);
        QFETCH(QString, note);
        PrometheusRollouts rollouts(prometheusUrl(), errorQuery, p99Query);
        const QString id = rollouts.deploy();
        QTRY_VERIFY_WITH_TIMEOUT(!rollouts.view(id).regions[0].health.empty(), 10000);
        const RolloutView view = rollouts.view(id);
        const HealthPoint& first = view.regions[0].health.front();
        QCOMPARE(toString(first.result), result);
        QCOMPARE(first.errorRate + 1, errorRate + 1);  // fuzzy, and 0 compares too
        QCOMPARE(first.p99Ms + 1, p99Ms + 1);
        QCOMPARE(toString(view.status), status);
        QVERIFY2(view.regions[0].note.contains(note), qPrintable(view.regions[0].note));
        if (result == "marginal") {
            QVERIFY2(rollouts.alerts.value(0).startsWith("health_marginal: health marginal in us-west-2: "),
                     qPrintable(rollouts.alerts.join('\n')));
            QVERIFY2(rollouts.alerts.value(0).contains(note), qPrintable(rollouts.alerts.join('\n')));
        }
    }

    void aFailedQueryUnderOnMarginalPauseWaitsForAHuman() {
        PrometheusRollouts rollouts(prometheusUrl(), "tai_breaker_state{", breaker(" + 120"),
                                    OnMarginal::Pause);
        const QString id = rollouts.deploy();
        QTRY_COMPARE_WITH_TIMEOUT(toString(rollouts.view(id).status), QStringLiteral("paused"), 10000);
        QVERIFY2(rollouts.view(id).regions[0].note.startsWith(
                     "paused: health marginal (health query failed: error_rate: prometheus answered 400: "),
                 qPrintable(rollouts.view(id).regions[0].note));
        // Health is still watched while it waits, and a failed query is never a fail.
        QTRY_VERIFY_WITH_TIMEOUT(rollouts.view(id).regions[0].health.size() >= 3, 10000);
        QCOMPARE(toString(rollouts.view(id).status), QStringLiteral("paused"));
        QCOMPARE(rollouts.alerts.size(), 1);  // one marginal alert per region
        QVERIFY(!rollouts.orchestrator->control(id, RolloutControl::Rollback, "us-west-2", "ops"));
        QCOMPARE(toString(rollouts.view(id).status), QStringLiteral("rolled_back"));
    }

    void theQueriesCarryTheirExpressionsWithThePlaceholdersEscaped() {
        FakePrometheus fake;
        QVERIFY(fake.listen());
        fake.answer("200 OK", vectorAnswer("0.012"));
        // moc reads backslashes in raw strings as escapes: plain literals where values hold them.
        OneMeasurement one(fake.url("/prom/"),
                           R"(errors{service="{service}",version="{version}"} + {weight})",
                           R"(p99{region="{region}"} + 0)");
        one.start("api\"svc\\x", "v2.0.0", "us-west-2", 25);
        QVERIFY(one.answers.empty());  // never inside the call
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QCOMPARE(one.answers[0].error, QString());
        QCOMPARE(one.answers[0].errorRate, 0.012);
        QCOMPARE(one.answers[0].p99Ms, 0.012);
        QCOMPARE(fake.targets().size(), 2);
        QStringList queries;
        for (const QByteArray& target : fake.targets()) {
            QVERIFY2(target.startsWith("/prom/api/v1/query?query="), target.constData());
            queries << queryOf(target);
        }
        queries.sort();
        QCOMPARE(queries, (QStringList{"errors{service=\"api\\\"svc\\\\x\",version=\"v2.0.0\"} + 25",
                                       R"(p99{region="us-west-2"} + 0)"}));
    }

    void answersARealPrometheusRarelyGivesAreErrors_data() {
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("status error with 200")
            << QByteArray("200 OK") << QByteArray(R"({"status":"error","error":"oops"})")
            << "error_rate: prometheus answered 200: oops";
        QTest::newRow("no JSON") << QByteArray("502 Bad Gateway") << QByteArray("<html>bad gateway</html>")
                                 << "error_rate: prometheus answered 502: <html>bad gateway</html>";
        QTest::newRow("+Inf") << QByteArray("200 OK") << vectorAnswer("+Inf") << "error_rate: not a number";
        QTest::newRow("past 1 MiB") << QByteArray("200 OK") << QByteArray(2 * 1024 * 1024, ' ')
                                    << "error_rate: reply larger than 1048576 bytes";
    }

    void answersARealPrometheusRarelyGivesAreErrors() {
        QFETCH(QByteArray, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        FakePrometheus fake;
        QVERIFY(fake.listen());
        fake.answer(status, body);
        OneMeasurement one(fake.url(), "e", "p");
        one.start();
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QVERIFY2(one.answers[0].error.startsWith(error + "; p99_ms: "), qPrintable(one.answers[0].error));
    }

    void aPrometheusThatNeverAnswersTimesOutOnce() {
        FakePrometheus fake;
        QVERIFY(fake.listen());
        fake.hang();
        OneMeasurement one(fake.url(), "e", "p", 300ms);
        one.start();
        QTRY_COMPARE(one.answers.size(), std::size_t{1});
        QCOMPARE(one.answers[0].error,
                 QStringLiteral("error_rate: no answer within 300 ms; p99_ms: no answer within 300 ms"));
        QTRY_COMPARE(fake.closed(), 2);  // both requests abandoned, answering nobody again
        QCoreApplication::processEvents();
        QCOMPARE(one.answers.size(), std::size_t{1});
    }

    void aCancelledMeasurementNeverAnswers() {
        FakePrometheus fake;
        QVERIFY(fake.listen());
        fake.hang();
        std::vector<HealthSample> answers;  // outlives the provider
        RealClock clock;
        auto health = std::make_unique<PrometheusHealth>(PrometheusHealthConfig{fake.url(), "e", "p", 300},
                                                         300ms, clock);
        const auto record = [&answers](const HealthSample& s) {
            answers.push_back(s);
        };
        const std::uint64_t first = health->measure("api-service", "v2.0.0", "us-west-2", 5, record);
        health->measure("api-service", "v2.0.0", "us-east-1", 5, record);
        QTRY_COMPARE(fake.targets().size(), 4);
        health->cancel(first);
        QTRY_COMPARE(fake.closed(), 2);
        const TimePoint pastTimeout = clock.now() + 600ms;
        health.reset();  // the other goes with the provider
        QTRY_COMPARE(fake.closed(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(clock.now() > pastTimeout, 5000);
        QVERIFY(answers.empty());
    }

    // End to end: a headless engine whose policy reads health from the real Prometheus rolls a
    // deployment back on its own when the expression gives a failing error rate.
    void aHeadlessEngineRollsBackOnAFailingErrorRateFromPrometheus() {
        QTemporaryDir dir;
        QFile file(dir.filePath("policy.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(
                QJsonObject{
                    {"deployments",
                     QJsonObject{
                         {"regions", QJsonArray{"us-west-2", "us-east-1"}},
                         {"stages",
                          QJsonArray{QJsonObject{{"name", "canary"}, {"weight", 5}, {"duration_s", 30}},
                                     QJsonObject{{"name", "prod"}, {"weight", 100}, {"duration_s", 0}}}},
                         {"health_interval_s", 1},
                         {"health_provider", QJsonObject{{"prometheus_url", prometheusUrl()},
                                                         {"error_rate_query", breaker(" + 0.2")},
                                                         {"p99_ms_query", breaker(" + 120")},
                                                         {"timeout_ms", 2000}}}}}})
                .toJson());
        file.close();
        HeadlessProcess engine({"--ephemeral", "--policy", file.fileName()});
        QVERIFY2(engine.running(), engine.log().constData());
        QNetworkAccessManager nam;
        QCOMPARE(QCoro::waitFor(request(nam, "POST", engine.url("/v1/deployments"),
                                        R"({"id":"d-1","service":"api-service","version":"v2.0.0"})"))
                     .status,
                 202);
        const auto deployment = [&] {
            return QJsonDocument::fromJson(
                       QCoro::waitFor(request(nam, "GET", engine.url("/v1/deployments/d-1"))).body)
                .object();
        };
        QTRY_COMPARE_WITH_TIMEOUT(deployment().value("status").toString(), QStringLiteral("rolled_back"),
                                  15000);
        const QJsonObject rolledBack = deployment();
        const QJsonObject region = rolledBack.value("regions").toArray().at(0).toObject();
        QCOMPARE(region.value("stage").toString(), QStringLiteral("rolled_back"));
        QCOMPARE(region.value("last_measurement").toObject().value("result").toString(),
                 QStringLiteral("fail"));
        QCOMPARE(region.value("last_measurement").toObject().value("error_rate").toDouble(), 0.2);
        QVERIFY2(region.value("note").toString().contains("error rate 20.0% > 5.0%"),
                 QJsonDocument(rolledBack).toJson().constData());
        QCOMPARE(rolledBack.value("regions").toArray().at(1)["stage"].toString(),
                 QStringLiteral("cancelled"));
    }

    // Last: it stops the real Prometheus.
    void aStoppedPrometheusIsAMarginalConnectionRefused() {
        prometheus_.terminate();
        QVERIFY(prometheus_.waitForFinished(10000));
        PrometheusRollouts rollouts(prometheusUrl(), breaker(" + 0.01"), breaker(" + 120"));
        const QString id = rollouts.deploy();
        QTRY_VERIFY_WITH_TIMEOUT(!rollouts.view(id).regions[0].health.empty(), 10000);
        const RolloutView view = rollouts.view(id);
        QCOMPARE(toString(view.regions[0].health.front().result), QStringLiteral("marginal"));
        QCOMPARE(view.regions[0].note,
                 QStringLiteral(
                     "health query failed: error_rate: connection refused; p99_ms: connection refused"));
        QCOMPARE(toString(view.status), QStringLiteral("in_progress"));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusHealth)
#include "tst_prometheus_health.moc"
