// tai::http's HttpServer on loopback, in this process: every limit and its status, answer
// order, back-pressure, HEAD, Date, duplicate headers, Connection: close, chunked bodies,
// deadlines (shortened through Options), the connection cap and stop() (issue 14 "Bounded
// HTTP" and item 11). Every wait is on a socket or a condition variable, with a timeout.
#include "http_server_fixture.h"
#include "http_test_client.h"
#include "http_test_service.h"

#include "http/http_load_client.h"
#include "http/http_rate_window.h"

#include <QRegularExpression>
#include <QtTest>

#include <mutex>
#include <set>
#include <thread>

using namespace tai;
using namespace httptest;
using namespace std::chrono_literals;

class TestHttpServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRequestArrivesAsItWasSent() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/v1/traces?limit=5&x=%20", "X-Custom-Name: Value  \r\nAccept: */*\r\n")));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray("GET /v1/traces?limit=5&x=%20"));
        const HttpRequest request = mailbox.request(0);
        QCOMPARE(request.path, QByteArray("/v1/traces"));
        QCOMPARE(request.query, QByteArray("limit=5&x=%20"));
        QCOMPARE(request.header("x-custom-name"), QByteArray("Value"));
        QCOMPARE(request.header("host"), QByteArray("127.0.0.1"));
        QCOMPARE(request.headers.size(), 3);
        QCOMPARE(request.headerBytes,
                 qsizetype((4 + 9 + 4) + (13 + 7 + 4) + (6 + 3 + 4)));  // name, value, ": ", CRLF
        QVERIFY(request.keepAlive);
        QVERIFY(!request.head);
        QVERIFY2(request.peer.startsWith("127.0.0.1:"), request.peer.constData());
    }

    void everyAnswerCarriesDateAndContentLength() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        static const QRegularExpression imfFixdate(QStringLiteral(
            "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
            "\\d{4} \\d\\d:\\d\\d:\\d\\d GMT$"));
        for (const QByteArray& path : {QByteArray("/a"), QByteArray("/much/longer/path")}) {
            QVERIFY(client.send(get(path)));
            const auto response = client.read();
            QVERIFY(response);
            QVERIFY2(imfFixdate.match(QString::fromLatin1(response->header("date"))).hasMatch(),
                     response->header("date").constData());
            QCOMPARE(response->header("content-length").toInt(), response->body.size());
            QCOMPARE(response->header("content-type"), QByteArray("text/plain"));
            QVERIFY(response->keepAlive);
        }
    }

    void headIsAnsweredLikeGetWithoutTheBody() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        client.reader().expect(true);
        client.reader().expect(false);
        QVERIFY(client.send("HEAD /h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + get("/h")));
        const auto head = client.read();
        const auto after = client.read();  // parses only if the HEAD's answer sent no body bytes
        QVERIFY(head && after);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("content-length"), QByteArray("6"));
        QVERIFY(head->body.isEmpty());
        QCOMPARE(after->body, QByteArray("GET /h"));
        QCOMPARE(mailbox.request(0).method, QByteArray("GET"));
        QVERIFY(mailbox.request(0).head);
        QVERIFY(!mailbox.request(1).head);
    }

    void refusesWhatBreaksALimit_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        const QByteArray host = "Host: 127.0.0.1\r\n";
        QTest::newRow("request target over 8 KiB")
            << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n" + host + "\r\n"
            << 414 << "url: longer than 8 KiB";
        QTest::newRow("query over 8 KiB")
            << get("/healthz?q=" + QByteArray(9000, 'q')) << 414 << "url: longer than 8 KiB";
        QByteArray manyHeaders;
        for (int i = 0; i < 5; ++i) {
            manyHeaders += "X-Fill-" + QByteArray::number(i) + ": " + QByteArray(7 * 1024, 'h') + "\r\n";
        }
        QTest::newRow("headers over 32 KiB in all")
            << get("/", manyHeaders) << 431 << "headers: larger than 32 KiB in all";
        QTest::newRow("one header over 32 KiB") << get("/", "X-Big: " + QByteArray(40 * 1024, 'h') + "\r\n")
                                                << 431 << "headers: larger than 32 KiB in all";
        QTest::newRow("a flood of whitespace in a header")
            << "GET / HTTP/1.1\r\n" + host + "X-Space:" + QByteArray(100 * 1024, ' ') << 431
            << "headers: larger than 32 KiB in all";
        // No body is sent at all: the 413 must come from Content-Length alone.
        QTest::newRow("Content-Length over 64 KiB")
            << "POST /p HTTP/1.1\r\n" + host + "Content-Length: 65537\r\n\r\n"
            << 413 << "body: larger than 64 KiB";
        QTest::newRow("chunked body over 64 KiB")
            << chunked("/p", QList<QByteArray>(5, QByteArray(16 * 1024, 'c'))) << 413
            << "body: larger than 64 KiB";
        QTest::newRow("garbage request line")
            << QByteArray("GARBAGE\r\n\r\n") << 400 << "request: malformed (invalid HTTP method)";
        QTest::newRow("space in a header name")
            << get("/", "Bad Name: x\r\n") << 400
            << "headers: a header name holds a character that is not allowed";
        QTest::newRow("two Authorization headers")
            << get("/", "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n") << 400
            << "authorization: more than one Authorization header";
        QTest::newRow("two Host headers")
            << get("/", "Host: other\r\n") << 400 << "host: more than one Host header";
        QTest::newRow("two Content-Length headers")
            << "POST /p HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx" << 400
            << "request: malformed (unexpected content-length header)";
        QTest::newRow("HTTP/1.1 without Host")
            << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << "host: the Host header is required";
        QTest::newRow("Content-Length beyond 64 bits")
            << "POST /p HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999999\r\n\r\n"
            << 400 << "request: malformed (invalid character in content-length header)";
        QTest::newRow("bad chunk size")
            << "POST /p HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
            << 400 << "request: malformed (invalid character in chunk size header)";
        QTest::newRow("unknown Transfer-Encoding")
            << "POST /p HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n"
            << 400 << "request: malformed (request has invalid transfer-encoding)";
    }
    void refusesWhatBreaksALimit() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, error);
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        client.sendSome(bytes, 2000);  // the server may stop reading once it has refused
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QCOMPARE(QString::fromUtf8(response->body), QStringLiteral(R"({"error":"%1","field":"%2"})")
                                                        .arg(error, error.section(QLatin1Char(':'), 0, 0)));
        QVERIFY(client.waitClosed());
        QCOMPARE(mailbox.size(), std::size_t(0));
    }

    void acceptsABodyOfExactlyTheLimit() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(post("/p", QByteArray(64 * 1024, 'b'))));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("POST /p body=65536"));
    }

    void anErrorIsAnsweredAfterThoseBeforeItThenTheConnectionCloses() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/first") + "BROKEN\r\n\r\n" + get("/never")));
        const auto first = client.read();
        const auto refused = client.read();
        QVERIFY(first && refused);
        QCOMPARE(first->body, QByteArray("GET /first"));
        QCOMPARE(refused->status, 400);
        QVERIFY(client.waitClosed());
        QVERIFY(!client.reader().hasResponse());
        QCOMPARE(mailbox.size(), std::size_t(1));
    }

    void connectionCloseIsAnsweredAndNothingAfterIt() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/last", "Connection: close\r\n") + get("/pipelined-after")));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("GET /last"));
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QVERIFY(!client.reader().hasResponse());
        QCOMPARE(mailbox.size(), std::size_t(1));
        QVERIFY(!mailbox.request(0).keepAlive);
    }

    void http10ClosesUnlessKeptAlive() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient once(server->port());
        QVERIFY(once.send("GET /old HTTP/1.0\r\n\r\n"));  // no Host needed before 1.1
        const auto closing = once.read();
        QVERIFY(closing);
        QCOMPARE(closing->status, 200);
        QCOMPARE(closing->header("connection"), QByteArray("close"));
        QVERIFY(once.waitClosed());

        HttpTestClient kept(server->port());
        QVERIFY(kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        const auto first = kept.read();
        QVERIFY(first);
        QCOMPARE(first->header("connection"), QByteArray("keep-alive"));
        QVERIFY(kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        const auto second = kept.read();
        QVERIFY(second);
        QCOMPARE(second->body, QByteArray("GET /b"));
    }

    void chunkedBodyWithATrailerIsAnswered() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(chunked("/c", {"hello", " world"}, "X-Checksum: 42\r\n") + get("/after")));
        const auto response = client.read();
        const auto after = client.read();
        QVERIFY(response && after);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray("POST /c body=hello world"));
        QCOMPARE(after->body, QByteArray("GET /after"));
        QCOMPARE(mailbox.request(0).header("x-checksum"), QByteArray());  // trailers are not headers
    }

    void aRequestFedOneByteAtATimeIsReadTheSame() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        const QByteArray bytes = chunked("/bytes", {"ab", "cd"}, "X-T: 1\r\n") + post("/len", "12345");
        for (const char c : bytes) {
            QVERIFY(client.send(QByteArray(1, c)));
        }
        const auto first = client.read();
        const auto second = client.read();
        QVERIFY(first && second);
        QCOMPARE(first->body, QByteArray("POST /bytes body=abcd"));
        QCOMPARE(second->body, QByteArray("POST /len body=12345"));
    }

    void expectContinueGetsAnInterimAnswerFirst() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(
            "POST /e HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
        QVERIFY(client.waitInterim(1));
        QVERIFY(!client.reader().hasResponse());
        QCOMPARE(mailbox.size(), std::size_t(0));  // nor a request before its body
        QVERIFY(client.send("abcde"));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("POST /e body=abcde"));
    }

    void theHandlerCannotOverrideWhatTheServerWrites() {
        auto server = start([](HttpRequest, HttpResponder responder) {
            HttpResponse response = HttpResponse::json(429, "{}");
            response.headers = {{"Retry-After", "3"},
                                {"Content-Length", "999"},
                                {"Connection", "close"},
                                {"X-Split", "a\r\nInjected: yes"}};
            responder.respond(std::move(response));
        });
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/x") + get("/y")));
        const auto first = client.read();
        const auto second = client.read();
        QVERIFY(first && second);
        QCOMPARE(first->status, 429);
        QCOMPARE(first->header("retry-after"), QByteArray("3"));
        QCOMPARE(first->header("content-length"), QByteArray("2"));
        QCOMPARE(first->header("connection"), QByteArray());
        QCOMPARE(first->header("injected"), QByteArray());
        QCOMPARE(first->header("x-split"), QByteArray());
    }

    void pipelinedAnswersLeaveInRequestOrder() {
        Mailbox mailbox(Mailbox::Mode::Hold);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QByteArray pipeline;
        for (int i = 0; i < 10; ++i) {
            pipeline += get("/r" + QByteArray::number(i));
        }
        QVERIFY(client.send(pipeline));
        QVERIFY(mailbox.waitFor(10));
        std::thread engine([&] {  // answers last first, from a thread of its own
            for (int i = 9; i >= 0; --i) {
                mailbox.take(i).respond(echoOf(mailbox.request(i)));
            }
        });
        engine.join();
        for (int i = 0; i < 10; ++i) {
            const auto response = client.read();
            QVERIFY(response);
            QCOMPARE(response->body, "GET /r" + QByteArray::number(i));
        }
    }

    void aFullPipelineIsNotReadUntilAnswered() {
        HttpServerOptions options = testOptions();
        options.maxPendingRequests = 4;
        Mailbox mailbox(Mailbox::Mode::Hold);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient client(server->port());
        QByteArray pipeline;
        for (int i = 0; i < 12; ++i) {
            pipeline += get("/p" + QByteArray::number(i));
        }
        QVERIFY(client.send(pipeline));
        QVERIFY(mailbox.waitFor(4));
        QVERIFY(!mailbox.waitFor(5, 300ms));  // read and buffered, but not parsed past the cap
        std::thread engine([&] {
            for (std::size_t i = 0; i < 12 && mailbox.waitFor(i + 1); ++i) {
                mailbox.take(i).respond(echoOf(mailbox.request(i)));
            }
        });
        for (int i = 0; i < 12; ++i) {
            const auto response = client.read();
            QVERIFY(response);
            QCOMPARE(response->body, "GET /p" + QByteArray::number(i));
        }
        engine.join();
    }

    void aClientThatNeverReadsCannotGrowTheServer() {
        HttpServerOptions options = testOptions();
        options.maxUnsentBytes = 64 * 1024;
        auto server = start(
            [](HttpRequest, HttpResponder responder) {
                responder.respond(HttpResponse::json(200, QByteArray(4 * 1024, 'r')));
            },
            options);
        QVERIFY(server);
        HttpTestClient client(server->port(), 4096, 16 * 1024);
        const QByteArray request = get("/big", "X-Pad: " + QByteArray(2000, 'p') + "\r\n");
        QByteArray burst;
        for (int i = 0; i < 32; ++i) {
            burst += request;
        }
        qint64 sent = 0;
        while (sent < 256 * 1024 * 1024) {
            const qsizetype n = client.sendSome(burst, 500);
            sent += n;
            if (n < burst.size()) {
                break;  // the server stopped reading
            }
        }
        QVERIFY2(sent < 256 * 1024 * 1024, "the server kept reading a client that never reads");
        const HttpServerStats stats = server->stats();
        QVERIFY2(stats.bufferedBytes < 2 * 1024 * 1024, qPrintable(QString::number(stats.bufferedBytes)));
        // Reading now gets every answer for every whole request sent.
        const qint64 requests = sent / request.size();
        for (qint64 i = 0; i < requests; ++i) {
            const auto response = client.read();
            QVERIFY2(response, qPrintable(QStringLiteral("answer %1 of %2").arg(i).arg(requests)));
            QCOMPARE(response->body.size(), 4 * 1024);
        }
        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().openConnections, 0, 5000);
        QCOMPARE(server->stats().bufferedBytes, 0);
    }

    void slowHeadersGet408AtTheHeaderDeadlineEvenWhileBytesTrickle() {
        HttpServerOptions options = testOptions();
        options.headerTimeout = 300ms;
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient client(server->port());
        const Clock::time_point started = Clock::now();
        QVERIFY(client.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        std::optional<HttpParsedResponse> response;
        for (int i = 0; i < 30 && !(response = client.read(100)); ++i) {
            client.sendSome("X-Drip-" + QByteArray::number(i) + ": x\r\n",
                            100);  // a clock per byte never fires
        }
        const qint64 elapsed = msSince(started);
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        QCOMPARE(response->body,
                 QByteArray(R"({"error":"request: headers not complete within 0.3 s","field":"request"})"));
        QVERIFY2(elapsed >= 300 && elapsed < 2000, qPrintable(QString::number(elapsed)));
        QVERIFY(client.waitClosed());
        QCOMPARE(mailbox.size(), std::size_t(0));
    }

    void aSlowBodyGets408AtTheRequestDeadline() {
        HttpServerOptions options = testOptions();
        options.headerTimeout = 300ms;
        options.requestTimeout = 800ms;
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient client(server->port());
        const Clock::time_point started = Clock::now();
        QVERIFY(client.send("POST /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab"));
        std::optional<HttpParsedResponse> response;
        for (int i = 0; i < 40 && !(response = client.read(100)); ++i) {
            client.sendSome("b", 100);
        }
        const qint64 elapsed = msSince(started);
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        QCOMPARE(response->body,
                 QByteArray(R"({"error":"request: not complete within 0.8 s","field":"request"})"));
        QVERIFY2(elapsed >= 800 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        QVERIFY(client.waitClosed());
    }

    void anIdleKeepAliveConnectionIsClosedWithNothingWritten() {
        HttpServerOptions options = testOptions();
        options.idleTimeout = 300ms;
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/once")));
        QVERIFY(client.read());
        const qint64 received = client.bytesReceived();
        const Clock::time_point answered = Clock::now();
        QVERIFY(client.waitClosed(3000));
        const qint64 elapsed = msSince(answered);
        QVERIFY2(elapsed >= 200 && elapsed < 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(client.bytesReceived(), received);
        QVERIFY(!client.reset());
    }

    void aConnectionOwedAnAnswerOutlivesTheIdleTimeout() {
        HttpServerOptions options = testOptions();
        options.idleTimeout = 300ms;
        Mailbox mailbox(Mailbox::Mode::Hold);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient owed(server->port());
        QVERIFY(owed.send(get("/slow-answer")));
        QVERIFY(mailbox.waitFor(1));
        HttpTestClient witness(server->port());  // silent from the start: closed after 300 ms
        QVERIFY(witness.waitClosed(3000));
        mailbox.take(0).respond(HttpResponse::json(200, "{\"late\":true}"));
        const auto response = owed.read();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("{\"late\":true}"));
    }

    void aClientClosingMidRequestGets400() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send("POST /half HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc"));
        client.shutdownWrite();
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QVERIFY(client.waitClosed());
        QCOMPARE(mailbox.size(), std::size_t(0));
    }

    void anUpgradeIsAnsweredThenClosed() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/ws", "Connection: Upgrade\r\nUpgrade: websocket\r\n") + "\x81\x05hello"));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
    }

    void aDroppedResponderAnswers503() {
        auto server = start([](HttpRequest, HttpResponder) {});
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/lost")));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 503);
        QCOMPARE(response->body, QByteArray(R"({"error":"server: no answer","field":"server"})"));
        QVERIFY2(server->stats().lastError.startsWith(QStringLiteral("503 ")),
                 qPrintable(server->stats().lastError));
    }

    void overTheConnectionCapANewConnectionIsClosedAtOnce() {
        HttpServerOptions options = testOptions();
        options.maxConnections = 2;
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        HttpTestClient a(server->port());
        HttpTestClient b(server->port());
        for (HttpTestClient* client : {&a, &b}) {
            QVERIFY(client->send(get("/in")));
            QVERIFY(client->read());
        }
        HttpTestClient c(server->port());
        QVERIFY(c.connected());  // the kernel completes the handshake; the server closes it
        c.sendSome(get("/over"), 1000);
        QVERIFY(c.waitClosed(3000));
        QVERIFY(!c.reader().hasResponse());
        QCOMPARE(server->stats().refusedConnections, quint64(1));
        QCOMPARE(server->stats().openConnections, 2);
        a.close();
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().openConnections, 1, 5000);
        HttpTestClient d(server->port());
        QVERIFY(d.send(get("/again")));
        const auto response = d.read();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("GET /again"));
    }

    void stopAnswersWhatItCanThenCloses() {
        HttpServerOptions options = testOptions();
        options.stopTimeout = 500ms;
        Mailbox mailbox(Mailbox::Mode::Hold);
        auto server = start(mailbox.handler(), options);
        QVERIFY(server);
        const quint16 port = server->port();
        HttpTestClient answered(port);
        HttpTestClient unanswered(port);
        QVERIFY(answered.send(get("/answered")));
        QVERIFY(unanswered.send(get("/unanswered")));
        QVERIFY(mailbox.waitFor(2));
        HttpTestClient idle(port);
        qint64 stopMs = 0;
        std::thread stopper([&] {
            const Clock::time_point started = Clock::now();
            server->stop();
            stopMs = msSince(started);
        });
        const std::size_t first = mailbox.request(0).path == "/answered" ? 0 : 1;
        mailbox.take(first).respond(HttpResponse::json(200, "{\"in\":\"time\"}"));
        stopper.join();
        QVERIFY2(stopMs >= 400 && stopMs < 2000, qPrintable(QString::number(stopMs)));
        const auto inTime = answered.read();
        QVERIFY(inTime);
        QCOMPARE(inTime->body, QByteArray("{\"in\":\"time\"}"));
        const auto cut = unanswered.read();
        QVERIFY(cut);
        QCOMPARE(cut->status, 503);
        QCOMPARE(cut->body,
                 QByteArray(R"({"error":"server: stopping before it answered","field":"server"})"));
        QVERIFY(answered.waitClosed());
        QVERIFY(unanswered.waitClosed());
        QVERIFY(idle.waitClosed());
        mailbox.take(1 - first).respond(HttpResponse::json(200, "{}"));  // too late: dropped, no harm
        HttpTestClient after(port);
        QVERIFY(!after.connected());
        QVERIFY(!server->listening());
    }

    void listenReportsItsPortAndWhyItCannot() {
        auto server = start([](HttpRequest, HttpResponder) {});
        QVERIFY(server);
        QVERIFY(server->port() != 0);
        QVERIFY(server->listening());
        HttpServer second([](HttpRequest, HttpResponder) {});
        QString error;
        QVERIFY(!second.listen(QStringLiteral("127.0.0.1"), server->port(), &error));
        QCOMPARE(error,
                 QStringLiteral("cannot listen on 127.0.0.1:%1: Address already in use").arg(server->port()));
        HttpServer third([](HttpRequest, HttpResponder) {});
        QVERIFY(!third.listen(QStringLiteral("my-host"), 0, &error));
        QCOMPARE(error, QStringLiteral("cannot listen on my-host:0: not a numeric IP address"));
        QVERIFY(HttpServer::raiseDescriptorLimit() >= 1024);
    }

    void statsCountRequestsAndConnections() {
        Mailbox mailbox(Mailbox::Mode::Echo);
        auto server = start(mailbox.handler());
        QVERIFY(server);
        HttpTestClient client(server->port());
        QVERIFY(client.send(get("/1") + get("/2") + get("/3")));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(client.read());
        }
        const HttpServerStats stats = server->stats();
        QCOMPARE(stats.requests, quint64(3));
        QCOMPARE(stats.openConnections, 1);
        QCOMPARE(stats.lastError, QString());
    }

    void theRateIsOverTheLastTenWholeSeconds() {
        HttpRateWindow window;
        for (int i = 0; i < 7; ++i) {
            window.count(100);
        }
        window.count(101);
        window.count(109);
        window.count(110);  // the current second: not yet counted
        QCOMPARE(window.perSecond(110), 0.9);
        QCOMPARE(window.perSecond(111), 0.3);  // second 100 has left the window
        QCOMPARE(window.perSecond(130), 0.0);
    }

    void theLoadClientCountsEveryAnswerFromAnEngineThread() {
        HttpTestService service(0us);
        auto server = start(service.handler());
        QVERIFY(server);
        std::mutex idsMutex;
        std::set<quint64> ids;
        HttpLoadClient::Options load;
        load.port = server->port();
        load.connections = 8;
        load.threads = 2;
        load.duration = 300ms;
        load.method = "POST";
        load.path = "/v1/payments";
        load.body = [&](quint64 sequence) -> QByteArray {
            const std::lock_guard lock(idsMutex);
            ids.insert(sequence);
            return "{\"idempotency_key\":\"k-" + QByteArray::number(sequence) +
                   "\"}";  // not a raw string: moc misreads it
        };
        const HttpLoadClient::Result result = HttpLoadClient::run(load);
        QCOMPARE(result.error, QString());
        QVERIFY(result.requests > 0);
        QCOMPARE(result.statuses.value(200), result.requests);
        QCOMPARE(result.statuses.size(), 1);
        QCOMPARE(result.connectionErrors, quint64(0));
        QVERIFY(result.p50Ms > 0 && result.p50Ms <= result.p99Ms && result.p99Ms <= result.p999Ms &&
                result.p999Ms <= result.maxMs);
        QVERIFY(server->stats().requests >= result.requests);
        QVERIFY(ids.size() >= result.requests);  // one generated body per request, each id once
    }

    void theLoadClientSaysWhenNothingListens() {
        quint16 port = 0;
        {
            auto server = start([](HttpRequest, HttpResponder) {});
            QVERIFY(server);
            port = server->port();
        }
        HttpLoadClient::Options load;
        load.port = port;
        load.connections = 2;
        load.duration = 200ms;
        const HttpLoadClient::Result result = HttpLoadClient::run(load);
        QCOMPARE(result.error,
                 QStringLiteral("cannot connect to 127.0.0.1:%1: Connection refused").arg(port));
        QCOMPARE(result.requests, quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_http_server.moc"
