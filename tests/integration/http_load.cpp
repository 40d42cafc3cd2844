// http_load: HttpLoadClient from the command line, to measure HttpServer (issue 16) until
// `tai-console bench` runs it in the same process.
//   http_load --target 127.0.0.1:PORT [--path /healthz] [--payments] [--connections 16]
//             [--threads 1] [--seconds 5] [--warmup 1]
//   http_load --serve [--answer-delay-us 100] [--io-threads 1] ...   (server in this process)
// Prints one line of key=value figures.
#include "http/http_load_client.h"
#include "http_test_service.h"

#include <cstdio>
#include <memory>

int main(int argc, char** argv) {
    tai::HttpLoadClient::Options load;
    bool serve = false;
    long delayUs = 100;
    tai::HttpServerOptions serverOptions;
    for (int i = 1; i < argc; ++i) {
        const QByteArray flag = argv[i];
        const QByteArray value = i + 1 < argc ? QByteArray(argv[i + 1]) : QByteArray();
        if (flag == "--serve") {
            serve = true;
            continue;
        }
        if (flag == "--payments") {
            load.method = "POST";
            load.path = "/v1/payments";
            load.headers = {{"Content-Type", "application/json"}};
            load.body = [](quint64 sequence) -> QByteArray {
                return R"({"customer_id":"load_)" + QByteArray::number(sequence % 30000) +
                       R"(","merchant_id":"m1","amount":"12.00","currency":"USD","idempotency_key":"load-)" +
                       QByteArray::number(sequence) + "\"}";
            };
            continue;
        }
        ++i;
        if (flag == "--target") {
            const qsizetype colon = value.lastIndexOf(':');
            load.address = QString::fromLatin1(value.left(colon));
            load.port = static_cast<quint16>(value.mid(colon + 1).toUInt());
        } else if (flag == "--path") {
            load.path = value;
        } else if (flag == "--connections") {
            load.connections = value.toInt();
        } else if (flag == "--threads") {
            load.threads = value.toInt();
        } else if (flag == "--seconds") {
            load.duration = std::chrono::milliseconds(static_cast<qint64>(value.toDouble() * 1000));
        } else if (flag == "--warmup") {
            load.warmup = std::chrono::milliseconds(static_cast<qint64>(value.toDouble() * 1000));
        } else if (flag == "--answer-delay-us") {
            delayUs = value.toLong();
        } else if (flag == "--io-threads") {
            serverOptions.ioThreads = value.toInt();
        } else {
            std::fprintf(stderr, "http_load: unknown option %s\n", flag.constData());
            return 2;
        }
    }

    std::unique_ptr<HttpTestService> service;
    std::unique_ptr<tai::HttpServer> server;
    if (serve) {
        service = std::make_unique<HttpTestService>(std::chrono::microseconds(delayUs));
        server = std::make_unique<tai::HttpServer>(service->handler(), serverOptions);
        QString error;
        if (!server->listen(QStringLiteral("127.0.0.1"), 0, &error)) {
            std::fprintf(stderr, "http_load: %s\n", error.toLocal8Bit().constData());
            return 1;
        }
        load.address = QStringLiteral("127.0.0.1");
        load.port = server->port();
    }

    const tai::HttpLoadClient::Result result = tai::HttpLoadClient::run(load);
    if (!result.error.isEmpty()) {
        std::fprintf(stderr, "http_load: %s\n", result.error.toLocal8Bit().constData());
        return 1;
    }
    QByteArray statuses;
    for (auto it = result.statuses.cbegin(); it != result.statuses.cend(); ++it) {
        statuses += (statuses.isEmpty() ? "" : ",") + QByteArray::number(it.key()) + ':' +
                    QByteArray::number(it.value());
    }
    std::printf(
        "path=%s connections=%d requests=%llu requests_per_s=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
        "max_ms=%.3f statuses=%s connection_errors=%llu reconnects=%llu\n",
        load.path.constData(), load.connections, static_cast<unsigned long long>(result.requests),
        result.requestsPerSecond, result.p50Ms, result.p99Ms, result.p999Ms, result.maxMs,
        statuses.constData(), static_cast<unsigned long long>(result.connectionErrors),
        static_cast<unsigned long long>(result.reconnects));
    return 0;
}
