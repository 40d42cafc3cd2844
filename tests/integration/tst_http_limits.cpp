// Issue 14's acceptance test for bounded HTTP, against a real server in its own process with
// its RSS sampled from /proc/PID/status: a never-reading pipelining client, a 300 MB body, a
// 300 MB query string and a 300 MB header each leave RSS within 50 MB of its start and get
// their 4xx or a close; 1 500 slowloris connections are closed by their 10 s header deadline
// while /healthz answers within 50 ms; then the same server charges a payment.
#include "http_test_client.h"
#include "isolated_home.h"

#include "http/http_server.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

namespace {

// The server under test: tai-console --headless itself, the API's router on tai::http.
QString serverProgram() {
    return QStringLiteral(TAI_CONSOLE_BIN);
}
QStringList serverArguments() {
    return {QStringLiteral("--headless"), QStringLiteral("--ephemeral"), QStringLiteral("--load"),
            QStringLiteral("0"),          QStringLiteral("--listen"),    QStringLiteral("127.0.0.1:0")};
}
// Both print this once they accept connections.
const QRegularExpression kListening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
// A payment tai-console charges.
const QByteArray kPayment =
    R"({"customer_id":"limits_1","merchant_id":"m1","amount":"12.00","currency":"USD","idempotency_key":"limits-key-1"})";

constexpr qint64 kRssSlackKiB = 50 * 1024;
constexpr qint64 kHugeBytes = 300LL * 1024 * 1024;
constexpr int kSlowloris = 1500;
constexpr qint64 kHealthzWithinMs = 50;

using Clock = std::chrono::steady_clock;

qint64 msSince(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

qint64 rssKiB(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    static const QRegularExpression vmRss(QStringLiteral("VmRSS:\\s+(\\d+) kB"));
    return vmRss.match(QString::fromLatin1(status.readAll())).captured(1).toLongLong();
}

// User + system CPU time of the process, in seconds.
double cpuSeconds(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');  // after "(comm)"
    return static_cast<double>(fields.value(11).toLongLong() + fields.value(12).toLongLong()) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Milliseconds a thread has spent runnable but waiting for a CPU (the second field of
// /proc/.../schedstat): time the kernel, not the program, spent. 0 when it cannot be read.
double runQueueWaitMs(const QString& schedstat) {
    QFile file(schedstat);
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    return static_cast<double>(file.readAll().split(' ').value(1).toLongLong()) / 1e6;
}

// The schedstat files of the server's I/O threads (HttpServer names them tai-http-N).
QStringList ioThreadSchedstats(qint64 pid) {
    QStringList found;
    const QString tasks = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString& tid : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks + QLatin1Char('/') + tid + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("tai-http")) {
            found << tasks + QLatin1Char('/') + tid + QStringLiteral("/schedstat");
        }
    }
    return found;
}

// How long the server's I/O thread and this thread waited for a CPU, in all: a probe's wait
// that the server could do nothing about. (With several I/O threads, the one that waited most.)
double cpuQueueMs(const QStringList& ioThreads) {
    double io = 0;
    for (const QString& thread : ioThreads) {
        io = std::max(io, runQueueWaitMs(thread));
    }
    return io + runQueueWaitMs(QStringLiteral("/proc/self/task/%1/schedstat").arg(gettid()));
}

// The highest RSS of the server, read every 20 ms on a thread of its own. The thread starts
// before the server process: QProcess starts it with a vfork-style clone, and under
// ThreadSanitizer a thread created after that is refused (its fork bookkeeping lands in the
// parent's memory).
class RssSampler {
public:
    RssSampler() : thread_([this] { sample(); }) {}
    ~RssSampler() {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    // Starts a new peak for `pid`.
    void watch(qint64 pid) {
        const std::lock_guard lock(mutex_);
        pid_ = pid;
        max_ = rssKiB(pid);
    }
    // The highest RSS since watch(), including now.
    qint64 peak() {
        const std::lock_guard lock(mutex_);
        max_ = std::max(max_, rssKiB(pid_));
        return max_;
    }

private:
    void sample() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, 20ms, [this] { return stopping_; })) {
            if (pid_ > 0) {
                max_ = std::max(max_, rssKiB(pid_));
            }
        }
    }
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    qint64 pid_ = 0;
    qint64 max_ = 0;
    std::thread thread_;
};

struct Offered {
    qint64 sent = 0;
    std::optional<tai::HttpParsedResponse> response;
    bool closed = false;
};

// Sends `head` and then `total` bytes of `fill` as fast as the server takes them, reading
// whatever it answers meanwhile, until it closes or all is sent.
Offered offer(quint16 port, const QByteArray& head, char fill, qint64 total) {
    HttpTestClient client(port);
    Offered result;
    const QByteArray chunk(256 * 1024, fill);
    result.sent = client.sendSome(head, 5000);
    const Clock::time_point started = Clock::now();
    while (result.sent - head.size() < total && msSince(started) < 120'000) {
        const qint64 left = total - (result.sent - head.size());
        const QByteArray piece = left >= chunk.size() ? chunk : chunk.left(left);
        const qsizetype n = client.sendSome(piece, 0);
        result.sent += n;
        if (n == 0) {
            // Blocked, or closed: look for an answer or the close before sending on.
            if (auto response = client.read(50)) {
                result.response = response;
            }
            if (client.waitClosed(1) || (result.response && client.waitClosed(3000))) {
                break;
            }
        }
    }
    if (!result.response) {
        result.response = client.read(5000);
    }
    result.closed = client.waitClosed(10'000);
    return result;
}

}  // namespace

class TestHttpLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        server_.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = home_.environment();
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer keeps freed memory in a quarantine (256 MB by default) to catch use
        // after free; that would count as the server's RSS here. A small quarantine keeps the
        // check about what the server itself holds.
        const QString asan = environment.value(QStringLiteral("ASAN_OPTIONS"));
        environment.insert(QStringLiteral("ASAN_OPTIONS"),
                           (asan.isEmpty() ? QString() : asan + QLatin1Char(':')) +
                               QStringLiteral("quarantine_size_mb=4:thread_local_quarantine_size_kb=256"));
#endif
        server_.setProcessEnvironment(environment);
        server_.start(serverProgram(), serverArguments());
        QVERIFY2(server_.waitForStarted(10'000), qPrintable(server_.errorString()));
        const Clock::time_point started = Clock::now();
        while (!kListening.match(QString::fromUtf8(log_)).hasMatch() && msSince(started) < 20'000 &&
               server_.state() == QProcess::Running) {
            server_.waitForReadyRead(500);
            log_ += server_.readAll();
        }
        const auto match = kListening.match(QString::fromUtf8(log_));
        QVERIFY2(match.hasMatch(), log_.constData());
        port_ = match.captured(1).toUShort();
        pid_ = server_.processId();
        QCOMPARE(get("/healthz"), 200);
        startRss_ = rssKiB(pid_);
        QVERIFY(startRss_ > 0);
        qInfo("server RSS at start: %lld KiB", startRss_);
    }

    void cleanupTestCase() {
        server_.terminate();
        QVERIFY(server_.waitForFinished(5000));
        log_ += server_.readAll();
        QVERIFY2(!log_.contains("Sanitizer"), log_.constData());  // a sanitizer build reports here
        QCOMPARE(server_.exitCode(), 0);
    }

    void neverReadingPipeliningClientsAreNotRead() {
        rss_.watch(pid_);
        std::vector<std::unique_ptr<HttpTestClient>> clients;
        QByteArray burst;
        for (int i = 0; i < 256; ++i) {
            burst += "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        }
        for (int c = 0; c < 4; ++c) {
            clients.push_back(std::make_unique<HttpTestClient>(port_, 4096, 16 * 1024));
            qint64 sent = 0;
            while (sent < kHugeBytes) {
                const qsizetype n = clients.back()->sendSome(burst, 1000);
                sent += n;
                if (n < burst.size()) {
                    break;  // the server stopped reading this client
                }
            }
            qInfo("client %d: the server stopped reading after %lld bytes of pipelined requests", c, sent);
            QVERIFY2(sent < kHugeBytes, "the server read 300 MB from a client that reads nothing");
        }
        // Without reading them, the clients see the server close: their requests are owed no
        // more answers and nothing moves, so the idle timeout ends them.
        for (auto& client : clients) {
            pollfd p{client->fd(), POLLRDHUP, 0};
            QVERIFY2(::poll(&p, 1, 30'000) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0,
                     "the server kept a stalled connection open");
        }
        const qint64 peak = rss_.peak();
        qInfo("server RSS peak %lld KiB (start %lld)", peak, startRss_);
        QVERIFY2(peak - startRss_ <= kRssSlackKiB, qPrintable(QString::number(peak - startRss_)));
    }

    void hugeRequests_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<char>("fill");
        QTest::addColumn<int>("status");
        const QByteArray host = "Host: 127.0.0.1\r\n";
        QTest::newRow("300 MB body") << "POST /v1/payments HTTP/1.1\r\n" + host +
                                            "Content-Type: application/json\r\nContent-Length: " +
                                            QByteArray::number(kHugeBytes) + "\r\n\r\n"
                                     << 'x' << 413;
        QTest::newRow("300 MB chunked body")
            << "POST /v1/payments HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n" +
                   QByteArray::number(kHugeBytes, 16) + "\r\n"
            << 'x' << 413;
        QTest::newRow("300 MB query string") << QByteArray("GET /healthz?q=") << 'a' << 414;
        QTest::newRow("300 MB header") << "GET /healthz HTTP/1.1\r\n" + host + "X-Big: " << 'h' << 431;
    }
    void hugeRequests() {
        QFETCH(QByteArray, head);
        QFETCH(char, fill);
        QFETCH(int, status);
        rss_.watch(pid_);
        const Offered offered = offer(port_, head, fill, kHugeBytes);
        const qint64 peak = rss_.peak();
        qInfo("sent %lld bytes before the close; server RSS peak %lld KiB (start %lld)", offered.sent, peak,
              startRss_);
        QVERIFY(offered.response);
        QCOMPARE(offered.response->status, status);
        QVERIFY(offered.closed);
        QVERIFY2(peak - startRss_ <= kRssSlackKiB, qPrintable(QString::number(peak - startRss_)));
    }

    void slowlorisIsClosedByTheHeaderDeadlineWhileHealthzAnswers() {
        tai::HttpServer::raiseDescriptorLimit();
        struct Slow {
            int fd = -1;
            Clock::time_point started;
            qint64 closedAfterMs = -1;
            bool got408 = false;
        };
        std::vector<Slow> slow(kSlowloris);
        const QByteArray start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (Slow& s : slow) {
            s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(port_);
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            QVERIFY(::connect(s.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
            ::fcntl(s.fd, F_SETFL, ::fcntl(s.fd, F_GETFL) | O_NONBLOCK);
            s.started = Clock::now();  // before the first byte leaves: the server's clock starts later
            QCOMPARE(::send(s.fd, start.constData(), start.size(), MSG_NOSIGNAL), ssize_t(start.size()));
        }
        // The first probe queues behind 1 500 connections in the accept backlog; it is timed
        // apart: the claim is about /healthz while they are held open, not about the connect storm.
        const Clock::time_point behindBacklog = Clock::now();
        QCOMPARE(get("/healthz"), 200);
        const qint64 firstProbeMs = msSince(behindBacklog);
        rss_.watch(pid_);
        const double cpuBefore = cpuSeconds(pid_);
        const Clock::time_point began = Clock::now();
        Clock::time_point nextDrip = began + 100ms;
        std::size_t dripTick = 0;
        Clock::time_point nextProbe = began;
        // Two shared cores are not always free: a probe's time waiting for a CPU (the server's
        // I/O thread's, or this thread's) is measured and taken out of what the server is held to.
        const QStringList ioThreads = ioThreadSchedstats(pid_);
        QVERIFY2(!ioThreads.isEmpty(), "no tai-http I/O thread in the server");
        qint64 worstProbeMs = 0;
        qint64 worstProbeAtMs = 0;
        double worstProbeQueuedMs = 0;
        double worstServerMs = 0;
        int probes = 0;
        int open = kSlowloris;
        std::vector<pollfd> polls(kSlowloris);
        while (open > 0 && msSince(began) < 20'000) {
            const Clock::time_point now = Clock::now();
            if (now >= nextProbe) {
                const double queuedBefore = cpuQueueMs(ioThreads);
                const Clock::time_point sent = Clock::now();
                HttpTestClient probe(port_);
                QVERIFY(probe.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
                const auto answer = probe.read(5000);
                QVERIFY2(answer && answer->status == 200, "/healthz did not answer under slowloris");
                const qint64 tookMs = msSince(sent);
                const double queuedMs = cpuQueueMs(ioThreads) - queuedBefore;
                if (tookMs > worstProbeMs) {
                    worstProbeMs = tookMs;
                    worstProbeAtMs = msSince(began);
                    worstProbeQueuedMs = queuedMs;
                }
                worstServerMs = std::max(worstServerMs, static_cast<double>(tookMs) - queuedMs);
                ++probes;
                nextProbe = Clock::now() + 100ms;
            }
            if (now >= nextDrip) {
                // One more header line on each connection every second, never a complete
                // request; a tenth of them every 100 ms, as connections of their own would.
                for (std::size_t i = dripTick % 10; i < slow.size(); i += 10) {
                    if (slow[i].closedAfterMs < 0) {
                        ::send(slow[i].fd, "X-Drip: 1\r\n", 11, MSG_NOSIGNAL);
                    }
                }
                ++dripTick;
                nextDrip += 100ms;
            }
            for (std::size_t i = 0; i < slow.size(); ++i) {
                polls[i] = {slow[i].closedAfterMs < 0 ? slow[i].fd : -1, POLLIN | POLLRDHUP, 0};
            }
            const auto until = std::min(nextDrip, nextProbe);
            const int wait = static_cast<int>(std::max<qint64>(
                0, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count()));
            if (::poll(polls.data(), polls.size(), wait) <= 0) {
                continue;
            }
            for (std::size_t i = 0; i < slow.size(); ++i) {
                if (polls[i].fd < 0 || polls[i].revents == 0) {
                    continue;
                }
                char buffer[4096];
                const ssize_t n = ::recv(slow[i].fd, buffer, sizeof buffer, 0);
                if (n > 0) {
                    slow[i].got408 = slow[i].got408 || QByteArray(buffer, n).startsWith("HTTP/1.1 408 ");
                } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    slow[i].closedAfterMs = msSince(slow[i].started);
                    --open;
                }
            }
        }
        const double cpu = cpuSeconds(pid_) - cpuBefore;
        const qint64 elapsedMs = msSince(began);
        const qint64 peak = rss_.peak();
        for (const Slow& s : slow) {
            ::close(s.fd);
        }
        int answered408 = 0;
        qint64 earliest = std::numeric_limits<qint64>::max();
        qint64 latest = 0;
        for (const Slow& s : slow) {
            answered408 += s.got408 ? 1 : 0;
            if (s.closedAfterMs >= 0) {
                earliest = std::min(earliest, s.closedAfterMs);
                latest = std::max(latest, s.closedAfterMs);
            }
        }
        qInfo(
            "%d slowloris connections: %d answered 408, closed after %lld..%lld ms; /healthz behind their "
            "accept %lld ms, then %d probes, the slowest %lld ms (%lld ms in, %.1f ms of it waiting for a "
            "CPU), the slowest less its CPU wait %.1f ms; server CPU %.2f s in %.1f s; RSS peak %lld KiB "
            "(start %lld)",
            kSlowloris, answered408, earliest, latest, firstProbeMs, probes, worstProbeMs, worstProbeAtMs,
            worstProbeQueuedMs, worstServerMs, cpu, elapsedMs / 1000.0, peak, startRss_);
        QCOMPARE(open, 0);
        QCOMPARE(answered408, kSlowloris);
        QVERIFY2(earliest >= 10'000 && latest <= 12'500, "closed outside their 10 s header deadline");
        QVERIFY(probes >= 50);
        QVERIFY2(worstServerMs <= kHealthzWithinMs, qPrintable(QString::number(worstServerMs)));
        QVERIFY2(cpu <= 0.25 * elapsedMs / 1000.0, "the server spun while slowloris connections waited");
        QVERIFY2(peak - startRss_ <= kRssSlackKiB, qPrintable(QString::number(peak - startRss_)));
    }

    void theSameServerThenChargesAPayment() {
        HttpTestClient client(port_);
        QVERIFY(
            client.send("POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: " +
                        QByteArray::number(kPayment.size()) + "\r\n\r\n" + kPayment));
        const auto response = client.read(10'000);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(QJsonDocument::fromJson(response->body).object().value("status").toString(),
                 QString("charged"));
        const qint64 now = rssKiB(pid_);
        qInfo("server RSS at the end: %lld KiB (start %lld)", now, startRss_);
        QVERIFY2(now - startRss_ <= kRssSlackKiB, qPrintable(QString::number(now - startRss_)));
    }

private:
    int get(const QByteArray& path) {
        HttpTestClient client(port_);
        if (!client.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            return 0;
        }
        const auto response = client.read();
        return response ? response->status : 0;
    }

    RssSampler rss_;  // before server_: its thread must exist before the process starts
    IsolatedHome home_;
    QProcess server_;
    QByteArray log_;
    quint16 port_ = 0;
    qint64 pid_ = 0;
    qint64 startRss_ = 0;
};

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_http_limits.moc"
