#include "bench_http.h"

#include "bench_rigs.h"

#include "api/api_router.h"
#include "api/api_server.h"
#include "engine/engine.h"
#include "http/http_load_client.h"

#include <QDir>

#include <chrono>
#include <memory>

namespace tai::app {

namespace {

constexpr int kConnections = 64;
const QString kToken = QStringLiteral("bench-token-bench-token-bench-token-0");

// An engine with its API on a free loopback port, as --headless runs it, and no generated load.
class ServedEngine {
public:
    explicit ServedEngine(EngineConfig config) : engine_(std::move(config)) {}
    ~ServedEngine() {
        if (server_) {
            server_->stop();
        }
        engine_.stop();
    }

    bool start(QString* error) {
        if (!engine_.start()) {
            *error = engine_.startError();
            return false;
        }
        router_ = std::make_unique<ApiRouter>(engine_, kToken);
        server_ = std::make_unique<ApiServer>(*router_, ApiServer::Options{});
        return server_->start(QStringLiteral("127.0.0.1"), 0, error);
    }
    quint16 port() const { return server_->port(); }

private:
    Engine engine_;
    std::unique_ptr<ApiRouter> router_;
    std::unique_ptr<ApiServer> server_;
};

HttpLoadClient::Options healthz(quint16 port, int connections, double seconds) {
    HttpLoadClient::Options o;
    o.port = port;
    o.connections = connections;
    o.warmup = std::chrono::milliseconds(500);
    o.duration = std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
    return o;
}

// Payments from 100 000 customers, each with a key of its own, so every one is decided afresh
// (no duplicate answered from the ledger) and no customer nears the velocity rule.
HttpLoadClient::Options payments(quint16 port, int connections, double seconds, const char* run) {
    HttpLoadClient::Options o = healthz(port, connections, seconds);
    o.method = "POST";
    o.path = "/v1/payments";
    o.headers = {{"Content-Type", "application/json"}};
    const QByteArray prefix = QByteArray(run) + '-';
    o.body = [prefix](quint64 sequence) -> QByteArray {  // not a QStringBuilder of temporaries
        return R"({"customer_id":"bench_)" + QByteArray::number(sequence % 100'000) +
               R"(","merchant_id":"m1","amount":"12.00","currency":"USD","idempotency_key":")" + prefix +
               QByteArray::number(sequence) + "\"}";
    };
    return o;
}

bool counted(HttpRun& r, const HttpLoadClient::Result& result) {
    r.connectionErrors += result.connectionErrors;
    if (!result.error.isEmpty()) {
        r.error = result.error;
        return false;
    }
    return true;
}

}  // namespace

HttpRun measureHttp(const EngineConfig& base, const QString& durableDirectory, double seconds) {
    HttpRun r;
    EngineConfig config = base;
    config.load.paymentsPerSecond = 0;
    // The token bucket opened wide, as for the in-process figures: the policy's gateway rate
    // (2 000/s by default) would otherwise be what this measures, not the HTTP path.
    config.policy.payments = openWide(config.policy.payments);
    {
        config.auditDatabase = QString();  // --ephemeral: the audit trail in memory
        ServedEngine served(config);
        if (!served.start(&r.error)) {
            return r;
        }
        const auto h = HttpLoadClient::run(healthz(served.port(), kConnections, seconds));
        if (!counted(r, h)) {
            return r;
        }
        r.healthzPerS = h.requestsPerSecond;
        const auto p = HttpLoadClient::run(payments(served.port(), kConnections, seconds, "mem"));
        if (!counted(r, p)) {
            return r;
        }
        r.paymentsPerS = p.requestsPerSecond;
        r.paymentStatuses = p.statuses;
        const auto single = HttpLoadClient::run(payments(served.port(), 1, seconds, "one"));
        if (!counted(r, single)) {
            return r;
        }
        r.singleClientP50Ms = single.p50Ms;
        r.singleClientP99Ms = single.p99Ms;
    }
    {
        config.auditDatabase = QDir(durableDirectory).filePath(QStringLiteral("audit.db"));
        ServedEngine served(config);
        if (!served.start(&r.error)) {
            return r;
        }
        const auto d = HttpLoadClient::run(payments(served.port(), kConnections, seconds, "durable"));
        if (!counted(r, d)) {
            return r;
        }
        r.durablePaymentsPerS = d.requestsPerSecond;
        r.durableStatuses = d.statuses;
    }
    return r;
}

}  // namespace tai::app
