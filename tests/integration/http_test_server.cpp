// http_test_server: HttpServer with HttpTestService, for tst_http_limits and for measuring.
//   http_test_server --listen 127.0.0.1:0 [--answer-delay-us 100] [--io-threads N]
//                    [--max-connections N]
// Prints "http_test_server: listening on http://ADDRESS:PORT" on stdout once it accepts, and
// stops (answering what it can) on SIGTERM or SIGINT.
#include "http_test_service.h"

#include <QByteArray>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <pthread.h>

int main(int argc, char** argv) {
    QString address = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    long delayUs = 100;
    tai::HttpServerOptions options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const QByteArray flag = argv[i];
        const QByteArray value = argv[i + 1];
        if (flag == "--listen") {
            const qsizetype colon = value.lastIndexOf(':');
            address = QString::fromLatin1(value.left(colon));
            port = static_cast<quint16>(value.mid(colon + 1).toUInt());
        } else if (flag == "--answer-delay-us") {
            delayUs = value.toLong();
        } else if (flag == "--io-threads") {
            options.ioThreads = value.toInt();
        } else if (flag == "--max-connections") {
            options.maxConnections = value.toInt();
        } else {
            std::fprintf(stderr, "http_test_server: unknown option %s\n", flag.constData());
            return 2;
        }
    }

    // Block the stop signals before any thread starts, so only sigwait() below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    HttpTestService service{std::chrono::microseconds(delayUs)};
    tai::HttpServer server(service.handler(), options);
    QString error;
    if (!server.listen(address, port, &error)) {
        std::fprintf(stderr, "http_test_server: %s\n", error.toLocal8Bit().constData());
        return 1;
    }
    std::printf("http_test_server: listening on http://%s:%u (%d I/O threads, answer delay %ld us)\n",
                address.toLatin1().constData(), server.port(), std::max(1, options.ioThreads), delayUs);
    std::fflush(stdout);

    int received = 0;
    sigwait(&stopSignals, &received);
    server.stop();
    const tai::HttpServerStats stats = server.stats();
    std::printf("http_test_server: stopped on signal %d after %llu requests\n", received,
                static_cast<unsigned long long>(stats.requests));
    return 0;
}
